import { type Queries, type Sql, writeAudit } from '@sextant/db';
import type { z } from 'zod';
import { actorOf, type Context, type Runtime } from '../../context';
import { AppError } from '../../errors';
import {
  CARDINALITY_DAYS,
  CARDINALITY_SNAPSHOT_DAYS,
  CARDINALITY_TOP,
  DELETE_PREVIEW_SAMPLES,
  type deleteSeriesInput,
  type seriesSelectorInput,
} from '../../schemas/cardinality';
import { deleteSeriesRows } from './ingest';
import { limitOverrides, listLimits } from './limits';

export interface MetricCardinality {
  name: string;
  series: number;
  /** The limit new series of this metric meet: an admin's override, else the configured default. */
  limit: number;
  /** Series made in the last 24 hours (deleted ones excepted). */
  new24h: number;
  /** Series at the end of each of the last CARDINALITY_DAYS + 1 UTC days, oldest first, the last one now; null: no snapshot. */
  perDay: (number | null)[];
  /** Change per day between those, CARDINALITY_DAYS entries, the last one today so far. */
  growth: (number | null)[];
}

/** Today's UTC date, as an SQL fragment. */
const utcToday = (q: Queries) => q`(now() at time zone 'UTC')::date`;

/**
 * The largest metrics and services by series count, each with the limit it is held to, the series made in the
 * last day and the growth per day from the daily snapshots: what an admin reads before a limit refuses a batch.
 */
export async function cardinalityOverview(sql: Sql, limits: Runtime['metricLimits']) {
  const [totals] = await sql<{ series: number; metrics: number }[]>`
    select count(*)::int as series, count(distinct name)::int as metrics from metric_series`;
  const top = await sql<{ name: string; series: number }[]>`
    select name, count(*)::int as series from metric_series group by name
    order by series desc, name limit ${CARDINALITY_TOP}`;
  const names = top.map((m) => m.name);
  // Only the last day's series, through the created_at index.
  const recent = await sql<{ name: string; n: number }[]>`
    select name, count(*)::int as n from metric_series
    where created_at >= now() - interval '24 hours' and name = any(${names}::text[]) group by name`;
  const snapshots = await sql<{ name: string; ago: number; series: number }[]>`
    select name, ${utcToday(sql)} - day as ago, series from metric_cardinality_daily
    where day >= ${utcToday(sql)} - ${CARDINALITY_DAYS}::int and day < ${utcToday(sql)}
      and name = any(${names}::text[])`;
  const services = await sql<{ service: string; series: number }[]>`
    select labels->>'service' as service, count(*)::int as series from metric_series
    where labels ? 'service' group by 1 order by series desc, service limit ${CARDINALITY_TOP}`;
  const overrides = await limitOverrides(
    sql,
    names,
    services.map((s) => s.service),
  );

  const newOf = new Map(recent.map((r) => [r.name, r.n]));
  const perDay = new Map(
    top.map((m) => [m.name, [...new Array<number | null>(CARDINALITY_DAYS).fill(null), m.series]]),
  );
  for (const s of snapshots) perDay.get(s.name)![CARDINALITY_DAYS - s.ago] = s.series;
  return {
    limits,
    overrides: await listLimits(sql),
    series: totals!.series,
    metrics: totals!.metrics,
    top: top.map((m): MetricCardinality => {
      const days = perDay.get(m.name)!;
      return {
        ...m,
        limit: overrides.get(`metric:${m.name}`) ?? limits.perMetric,
        new24h: newOf.get(m.name) ?? 0,
        perDay: days,
        growth: days.slice(1).map((n, i) => (n === null || days[i] === null ? null : n - days[i]!)),
      };
    }),
    services: services.map((s) => ({
      ...s,
      limit: overrides.get(`service:${s.service}`) ?? limits.perService,
    })),
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

/** What deleteSeries would delete now: the count, which the delete must name, and a few label sets. */
export async function previewDelete(sql: Queries, input: z.infer<typeof seriesSelectorInput>) {
  const labels = JSON.stringify(input.labels);
  const [row] = await sql<{ series: number }[]>`
    select count(*)::int as series from metric_series where name = ${input.name} and labels @> ${labels}::jsonb`;
  const samples = await sql<{ labels: Record<string, string> }[]>`
    select labels from metric_series where name = ${input.name} and labels @> ${labels}::jsonb
    order by id limit ${DELETE_PREVIEW_SAMPLES}`;
  return { series: row!.series, samples: samples.map((s) => s.labels) };
}

/**
 * Deletes series of one metric (see deleteSeriesRows), audited in the same transaction; refused, deleting
 * nothing, unless exactly the `expected` count the admin previewed goes.
 */
export function deleteSeries(
  ctx: Pick<Context, 'sql' | 'identity' | 'requestId' | 'ip'>,
  input: z.infer<typeof deleteSeriesInput>,
) {
  return ctx.sql.begin(async (tx) => {
    const series = await deleteSeriesRows(tx, input.name, input.labels);
    if (series === 0)
      throw new AppError('NOT_FOUND', `No series of ${input.name} carry these labels.`, ['labels']);
    // Thrown inside the transaction, so the rows deleted above come back.
    if (series !== input.expected)
      throw new AppError(
        'CONFLICT',
        `These labels now select ${series.toLocaleString('en-US')} series of ${input.name}, not the ${input.expected.toLocaleString('en-US')} previewed; nothing was deleted. Preview again.`,
        ['expected'],
      );
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

/**
 * Records today's series count per metric (UTC), replacing the day's earlier snapshot, and drops snapshots
 * older than CARDINALITY_SNAPSHOT_DAYS. Idempotent: any instance may run it, any number of times.
 */
export function snapshotCardinality(sql: Sql) {
  return sql.begin(async (tx) => {
    // Replaced whole, so a metric deleted since the last run leaves no stale count for today.
    await tx`delete from metric_cardinality_daily where day = ${utcToday(tx)}`;
    await tx`
      insert into metric_cardinality_daily (day, name, series)
      select ${utcToday(tx)}, name, count(*)::int from metric_series group by name`;
    await tx`
      delete from metric_cardinality_daily where day < ${utcToday(tx)} - ${CARDINALITY_SNAPSHOT_DAYS}::int`;
  });
}
