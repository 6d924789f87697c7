import { type Sql, writeAudit } from '@sextant/db';
import type { z } from 'zod';
import { actorOf, type Context, type Runtime } from '../../context';
import { AppError } from '../../errors';
import { CARDINALITY_DAYS, CARDINALITY_TOP, type deleteSeriesInput } from '../../schemas/cardinality';
import { deleteSeriesRows } from './ingest';

export interface MetricCardinality {
  name: string;
  series: number;
  /** New series per UTC day, oldest first, the last entry today (CARDINALITY_DAYS entries). */
  newPerDay: number[];
}

/**
 * The largest metrics and services by series count, with each metric's new series per day, and the limits
 * they are held to: what an admin reads before a limit refuses a batch.
 */
export async function cardinalityOverview(sql: Sql, limits: Runtime['metricLimits']) {
  const [totals] = await sql<{ series: number; metrics: number }[]>`
    select count(*)::int as series, count(distinct name)::int as metrics from metric_series`;
  const top = await sql<{ name: string; series: number }[]>`
    select name, count(*)::int as series from metric_series group by name
    order by series desc, name limit ${CARDINALITY_TOP}`;
  // Only the last days' series, through the created_at index.
  const recent = await sql<{ name: string; ago: number; n: number }[]>`
    select name, (now() at time zone 'UTC')::date - (created_at at time zone 'UTC')::date as ago, count(*)::int as n
    from metric_series
    where created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - make_interval(days => ${CARDINALITY_DAYS - 1})
      and name = any(${top.map((m) => m.name)}::text[])
    group by 1, 2`;
  const perDay = new Map(top.map((m) => [m.name, new Array<number>(CARDINALITY_DAYS).fill(0)]));
  // created_at is the database's own now(), so `ago` is 0 (today) to CARDINALITY_DAYS - 1.
  for (const r of recent) perDay.get(r.name)![CARDINALITY_DAYS - 1 - r.ago] = r.n;
  const services = await sql<{ service: string; series: number }[]>`
    select labels->>'service' as service, count(*)::int as series from metric_series
    where labels ? 'service' group by 1 order by series desc, service limit ${CARDINALITY_TOP}`;
  return {
    limits,
    series: totals!.series,
    metrics: totals!.metrics,
    top: top.map((m): MetricCardinality => ({ ...m, newPerDay: perDay.get(m.name)! })),
    services,
  };
}

/** One metric's labels, most distinct values first, each with its five most common values. */
export function metricLabels(sql: Sql, name: string) {
  return sql<{ label: string; values: number; top: string[] }[]>`
    with kv as (
      select e.key as k, e.value as v, count(*) as n
      from metric_series s, jsonb_each_text(s.labels) e where s.name = ${name} group by 1, 2)
    select k as label, count(*)::int as values, (array_agg(v order by n desc, v))[1:5] as top
    from kv group by k order by values desc, label`;
}

/** Deletes series of one metric (see deleteSeriesRows), audited in the same transaction. */
export function deleteSeries(
  ctx: Pick<Context, 'sql' | 'identity' | 'requestId' | 'ip'>,
  input: z.infer<typeof deleteSeriesInput>,
) {
  return ctx.sql.begin(async (tx) => {
    const series = await deleteSeriesRows(tx, input.name, input.labels);
    if (series === 0)
      throw new AppError('NOT_FOUND', `No series of ${input.name} carry these labels.`, ['labels']);
    await writeAudit(tx, {
      actor: actorOf(ctx.identity),
      action: 'metrics.series.delete',
      targetType: 'metric',
      targetId: input.name,
      after: { labels: input.labels, series },
      requestId: ctx.requestId,
      ip: ctx.ip,
    });
    return { series };
  });
}
