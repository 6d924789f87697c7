import type { Queries, Sql } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import { histogramIncreases, pointIncreases } from './increase';
import { rollupServices } from './service-tier';

/**
 * Rebuilds the 1-minute rollups for [from, to) from raw samples, then the service tier's minutes. Idempotent
 * (upsert), so the job can simply recompute a trailing window and late samples inside it are picked up.
 * Points keep count/sum/min/max/first/last and Σ increase; histograms their last cumulative snapshot and the
 * increases per bound (increase.ts reads raw from counterLookbackMs before `from` for the previous samples).
 */
export async function rollupMinutes(sql: Queries, fromTime: Date, to: Date) {
  // Whole buckets only: a bucket rebuilt from part of its samples would overwrite a complete one.
  const from = new Date(Math.floor(fromTime.getTime() / 60_000) * 60_000);
  await sql`
    insert into metric_rollups_1m (series_id, bucket, count, sum, min, max, first, last, inc)
    select series_id, date_trunc('minute', ts), count(*), sum(value), min(value), max(value),
      (array_agg(value order by ts))[1], (array_agg(value order by ts desc))[1], sum(inc)
    from (${pointIncreases(sql, sql`true`, from, to)}) p
    group by 1, 2
    on conflict (series_id, bucket) do update set count = excluded.count, sum = excluded.sum, min = excluded.min,
      max = excluded.max, first = excluded.first, last = excluded.last, inc = excluded.inc`;
  await sql`
    with stats as (
      select distinct on (series_id, date_trunc('minute', ts)) series_id, date_trunc('minute', ts) as m,
        count(*) over w as n, sum, min(count) over w as mn, max(count) over w as mx,
        first_value(count) over (partition by series_id, date_trunc('minute', ts) order by ts) as f, count as l,
        bounds as lb, counts as lc
      from metric_histograms where ts >= ${from} and ts < ${to}
      window w as (partition by series_id, date_trunc('minute', ts))
      order by series_id, date_trunc('minute', ts), ts desc
    ), inc as (
      select series_id, date_trunc('minute', ts) as m, b, sum(c) as c
      from (${histogramIncreases(sql, sql`true`, from, to)}) h group by 1, 2, 3
    ), arr as (
      -- Bounds seen in the minute (a layout change makes their union); the last snapshot's counts at them.
      select i.series_id, i.m, array_agg(i.b order by i.b) as bounds, array_agg(i.c order by i.b) as inc_counts,
        array_agg(s.lc[array_position(s.lb, i.b)] order by i.b) as counts
      from inc i join stats s using (series_id, m) group by 1, 2
    )
    insert into metric_rollups_1m (series_id, bucket, count, sum, min, max, first, last, bounds, counts, inc_counts)
    select s.series_id, s.m, s.n, s.sum, s.mn, s.mx, s.f, s.l, a.bounds, a.counts, a.inc_counts
    from stats s join arr a using (series_id, m)
    on conflict (series_id, bucket) do update set count = excluded.count, sum = excluded.sum, min = excluded.min,
      max = excluded.max, first = excluded.first, last = excluded.last, bounds = excluded.bounds,
      counts = excluded.counts, inc_counts = excluded.inc_counts`;
  await rollupServices(sql, '1m', from, to);
}

/** Rebuilds the 1-hour rollups for [from, to) from the 1-minute ones (never from raw), then the service tier's hours. */
export async function rollupHours(sql: Queries, fromTime: Date, to: Date) {
  const from = new Date(Math.floor(fromTime.getTime() / 3_600_000) * 3_600_000);
  await sql`
    with rows as (
      select *, date_trunc('hour', bucket) as h from metric_rollups_1m where bucket >= ${from} and bucket < ${to}
    ), agg as (
      select series_id, h, sum(count)::bigint as n, sum(sum) as s, min(min) as mn, max(max) as mx,
        (array_agg(first order by bucket))[1] as f, (array_agg(last order by bucket desc))[1] as l, sum(inc) as inc
      from rows group by 1, 2
    ), latest as (
      -- Histograms keep their last cumulative snapshot (arrays cannot go through array_agg without becoming 2-D).
      select distinct on (series_id, h) series_id, h, sum, bounds as lb, counts as lc
      from rows order by series_id, h, bucket desc
    ), inc as (
      select series_id, h, u.b, sum(u.c) as c from rows, unnest(rows.bounds, rows.inc_counts) u(b, c)
      where rows.bounds is not null group by 1, 2, 3
    ), arr as (
      select i.series_id, i.h, array_agg(i.b order by i.b) as bounds, array_agg(i.c order by i.b) as inc_counts,
        array_agg(l.lc[array_position(l.lb, i.b)] order by i.b) as counts
      from inc i join latest l using (series_id, h) group by 1, 2
    )
    insert into metric_rollups_1h (series_id, bucket, count, sum, min, max, first, last, inc, bounds, counts, inc_counts)
    select a.series_id, a.h, a.n, case when l.lb is null then a.s else l.sum end, a.mn, a.mx, a.f, a.l,
      a.inc, r.bounds, r.counts, r.inc_counts
    from agg a join latest l using (series_id, h) left join arr r using (series_id, h)
    on conflict (series_id, bucket) do update set count = excluded.count, sum = excluded.sum, min = excluded.min,
      max = excluded.max, first = excluded.first, last = excluded.last, inc = excluded.inc, bounds = excluded.bounds,
      counts = excluded.counts, inc_counts = excluded.inc_counts`;
  await rollupServices(sql, '1h', from, to);
}

/** The rollup jobs' trailing windows: each pass rebuilds this much, so later samples need the backlog. */
export const ROLLUP_WINDOW_MS: Record<RollupTier, number> = {
  '1m': 10 * 60_000,
  '1h': 3 * 3_600_000,
} as const;
const TIER_MS: Record<RollupTier, number> = { '1m': 60_000, '1h': 3_600_000 };
const REBUILD: Record<RollupTier, typeof rollupMinutes> = { '1m': rollupMinutes, '1h': rollupHours };

/**
 * One pass of a tier's job: rebuilds the trailing window (up to the bucket in progress), which catches samples a
 * little late, then the buckets ingest noted in the backlog for samples older than that.
 */
export async function rollupRecent(sql: Sql, tier: RollupTier, now = Date.now()) {
  await REBUILD[tier](sql, new Date(now - ROLLUP_WINDOW_MS[tier]), new Date(now + TIER_MS[tier]));
  while ((await drainRollupBacklog(sql, tier)) > 0) {}
}

/** Samples this close to the window's edge go to the backlog too; rebuilding a bucket twice is harmless. */
const EDGE_MS = 2 * 60_000;

/** Notes the minutes of samples that arrived too late for the 1-minute job's window, and the minutes after them (inside the write's transaction). */
export async function markLateSamples(
  tx: Queries,
  sampleLists: ReadonlyArray<ReadonlyArray<{ ts: number }>>,
  now = Date.now(),
) {
  const cutoff = now - ROLLUP_WINDOW_MS['1m'] + EDGE_MS;
  const minutes = new Set<number>();
  // The next minute too: a late sample changes the increase of the sample after it.
  for (const list of sampleLists)
    for (const s of list)
      if (s.ts < cutoff) {
        const m = Math.floor(s.ts / 60_000) * 60_000;
        minutes.add(m).add(m + 60_000);
      }
  if (minutes.size === 0) return;
  await tx`
    insert into metric_rollup_backlog (tier, bucket)
    select '1m', to_timestamp(m / 1000.0) from unnest(${[...minutes]}::float8[]) m
    on conflict do nothing`;
}

/**
 * Rebuilds backlogged buckets of one tier and deletes their rows, in one transaction (a failure leaves
 * them for the next pass). Rebuilt minutes older than the hour job's window backlog their hour in turn.
 */
export async function drainRollupBacklog(sql: Sql, tier: RollupTier, limit = 120, now = Date.now()) {
  return sql.begin(async (tx) => {
    const taken = await tx<{ bucket: Date }[]>`
      delete from metric_rollup_backlog where tier = ${tier} and bucket in (
        select bucket from metric_rollup_backlog where tier = ${tier} order by bucket limit ${limit}
        for update skip locked)
      returning bucket`;
    for (const { bucket } of taken)
      await REBUILD[tier](tx, bucket, new Date(bucket.getTime() + TIER_MS[tier]));
    if (tier === '1m') {
      const cutoff = now - ROLLUP_WINDOW_MS['1h'] + EDGE_MS;
      const hours = new Set(
        taken.map((t) => Math.floor(t.bucket.getTime() / 3_600_000) * 3_600_000).filter((h) => h < cutoff),
      );
      if (hours.size > 0)
        await tx`
          insert into metric_rollup_backlog (tier, bucket)
          select '1h', to_timestamp(h / 1000.0) from unnest(${[...hours]}::float8[]) h
          on conflict do nothing`;
    }
    return taken.length;
  });
}
