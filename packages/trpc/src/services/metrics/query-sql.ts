import type { Queries } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import type { MetricQuery } from '../../schemas/metrics';
import { type Fragment, histogramIncreases, pointIncreases } from './increase';
import type { Tier } from './query-plan';
import { selection } from './series';

/** Where each per-series tier keeps its samples: raw points and histograms, or rollup rows keyed by bucket. */
const SOURCE: Record<'raw' | RollupTier, { points: string; histograms: string; time: string }> = {
  raw: { points: 'metric_points', histograms: 'metric_histograms', time: 'ts' },
  '1m': { points: 'metric_rollups_1m', histograms: 'metric_rollups_1m', time: 'bucket' },
  '1h': { points: 'metric_rollups_1h', histograms: 'metric_rollups_1h', time: 'bucket' },
};

/** Column `v` as JSON number text; NaN and infinities have no JSON form and read as gaps. Postgres prints float8 exactly. */
export const V_AS_JSON = `(case when v is null or v = 'NaN' or abs(v) = 'Infinity' then 'null' else v::text end)`;

export interface Window {
  tier: Tier;
  step: number;
  /** First and last (exclusive) bucket index, `floor((epoch seconds - origin) / step)`. */
  first: number;
  last: number;
  /** Where bucket 0 starts, in epoch seconds: 0 for dashboards' epoch-aligned buckets; an alert rule's window start. */
  origin?: number;
}

export const windowDates = (w: Window) => ({
  from: new Date(((w.origin ?? 0) + w.first * w.step) * 1000),
  to: new Date(((w.origin ?? 0) + w.last * w.step) * 1000),
});

/** The bucket index of a time column. */
export const bucketIndex = (tx: Queries, time: Fragment, w: Pick<Window, 'step' | 'origin'>) =>
  tx`floor((date_part('epoch', ${time}) - ${w.origin ?? 0}::float8) / ${w.step})::int`;

/** Rows `(g, k, inc)` to a rate or an error ratio per (group, bucket): Σ increase / step, or the 5xx share of it. */
export function rateValue(tx: Queries, fn: 'rate' | 'error_ratio', step: number, err: Fragment) {
  return fn === 'rate'
    ? tx`sum(inc) / ${step}::float8`
    : tx`coalesce(sum(inc) filter (where ${err}), 0) / nullif(sum(inc), 0)`;
}

/**
 * One statement per query on the per-series tiers: the selected series (`sel`), their samples in the window from
 * the tier's table, and the function applied per (group, bucket) in Postgres. Only the answer travels back: one
 * row per group, its buckets packed as "k,v,k,v…" text (JSON.parse of one string is far cheaper than a row per bucket).
 */
export function aggregateStatement(tx: Queries, q: MetricQuery, w: Window & { tier: 'raw' | RollupTier }) {
  const sel = selection(tx, q.selector, q.by, q.fn === 'error_ratio' ? q.errorMatcher : undefined);
  const { from, to } = windowDates(w);
  const src = SOURCE[w.tier];
  const time = tx(src.time);
  const ids = tx`series_id = any(array(select id from sel))`;
  const inWindow = tx`${ids} and ${time} >= ${from} and ${time} < ${to}`;
  const rollup = w.tier !== 'raw';
  // Without `by` (and error_ratio) every row is in the one group: no join, and a single-column grouping.
  const join = q.by.length > 0 || q.fn === 'error_ratio';
  const g = join ? tx`sel.g` : tx`'{}'::jsonb`;
  const joinSel = join ? tx`join sel on sel.id = d.series_id` : tx``;
  const grouping = join ? tx`1, 2` : tx`2`;
  let body: Fragment;
  if (q.fn === 'avg' || q.fn === 'min' || q.fn === 'max' || q.fn === 'sum') {
    const v = rollup
      ? { avg: tx`sum(sum) / sum(count)::float8`, sum: tx`sum(sum)`, min: tx`min(min)`, max: tx`max(max)` }
      : {
          avg: tx`sum(value) / count(*)::float8`,
          sum: tx`sum(value)`,
          min: tx`min(value)`,
          max: tx`max(value)`,
        };
    body = tx`
      select ${g} as g, ${bucketIndex(tx, tx`${time}`, w)} as k, ${v[q.fn]} as v from ${tx(src.points)} d ${joinSel}
      where ${inWindow} ${rollup ? tx`and bounds is null` : tx``} group by ${grouping}`;
  } else if (q.fn === 'rate' || q.fn === 'error_ratio') {
    const increases = rollup
      ? tx`select series_id, bucket as t, inc from ${tx(src.points)} where ${inWindow} and bounds is null`
      : tx`select series_id, ts as t, inc from (${pointIncreases(tx, ids, from, to)}) p`;
    body = tx`
      select ${g} as g, ${bucketIndex(tx, tx`d.t`, w)} as k, ${rateValue(tx, q.fn, w.step, tx`sel.err`)} as v
      from (${increases}) d ${joinSel} group by ${grouping}`;
  } else {
    // Histograms' increases per bound, and classic `_bucket` counters (their `le` label) as one bound each.
    const le = tx`series_id = any(array(select id from sel where le is not null))`;
    const increases = rollup
      ? tx`
        select series_id, bucket as t, u.b, u.c from ${tx(src.histograms)}, unnest(bounds, inc_counts) u(b, c)
        where ${inWindow} and bounds is not null
        union all
        select d.series_id, d.bucket, sel.le, d.inc from ${tx(src.points)} d join sel on sel.id = d.series_id
        where ${le} and bucket >= ${from} and bucket < ${to} and bounds is null`
      : tx`
        select series_id, ts as t, b, c from (${histogramIncreases(tx, ids, from, to)}) h
        union all
        select p.series_id, p.ts, sel.le, p.inc from (${pointIncreases(tx, le, from, to)}) p join sel on sel.id = p.series_id`;
    body = quantile(
      tx,
      q.fn,
      tx`
      select sel.g, ${bucketIndex(tx, tx`d.t`, w)} as k, d.b, sum(d.c) as c
      from (${increases}) d join sel on sel.id = d.series_id group by 1, 2, 3`,
    );
  }
  return tx`
    with sel as materialized (${sel})
    select g::text as g, string_agg(k::text || ',' || ${tx.unsafe(V_AS_JSON)}, ',' order by k) as j
    from (${body}) z where k >= ${w.first} and k < ${w.last} group by g`;
}

/**
 * Prometheus' histogram_quantile over `h` = rows `(g, k, b, c)`, the buckets' increases added up by bound across a
 * group's series: linear interpolation inside the bucket holding the q-th observation; a running max keeps merged
 * counts monotonic (series with different bounds), and `+Inf` answers the bound below it.
 */
export function quantile(tx: Queries, fn: string, h: Fragment) {
  const q = fn === 'p50' ? 0.5 : fn === 'p95' ? 0.95 : 0.99;
  return tx`
    with h as (${h}), m as (
      select g, k, b, max(c) over (partition by g, k order by b rows unbounded preceding) as cum from h
    ), n as (
      select g, k, b, cum, lag(b) over w as lb, coalesce(lag(cum) over w, 0) as below,
        max(cum) over (partition by g, k) as total
      from m window w as (partition by g, k order by b)
    )
    select distinct on (g, k) g, k,
      case when b = 'Infinity' then lb
        else coalesce(coalesce(lb, least(0, b)) + (b - coalesce(lb, least(0, b))) * (${q}::float8 * total - below)
          / nullif(cum - below, 0), b) end as v
    from n where total > 0 and cum >= ${q}::float8 * total order by g, k, b`;
}

/**
 * One series at its tier's own width, where every stored row is one bucket: when the rows are contiguous (the usual
 * case) only their values travel, in order; bucket keys cost as much again to compute and parse. Null where it
 * does not apply; the caller checks `n` against the span for gaps.
 */
export function tierRunStatement(tx: Queries, q: MetricQuery, w: Window) {
  if ((w.tier !== '1m' && w.tier !== '1h') || w.step !== (w.tier === '1m' ? 60 : 3_600) || q.by.length > 0)
    return null;
  if (q.fn !== 'avg' && q.fn !== 'min' && q.fn !== 'max' && q.fn !== 'sum') return null;
  const v = { avg: tx`sum / count`, sum: tx`sum`, min: tx`min`, max: tx`max` }[q.fn];
  const { from, to } = windowDates(w);
  // `matched` re-checks the count, since the caller's came from a cache.
  return tx<{ matched: number; first: Date | null; last: Date | null; n: number; j: string | null }[]>`
    with sel as materialized (select id from (${selection(tx, q.selector, [])}) s limit 2)
    select (select count(*) from sel)::int as matched, min(bucket) as first, max(bucket) as last, count(*)::int as n,
      string_agg(${tx.unsafe(V_AS_JSON)}, ',' order by bucket) as j
    from (select bucket, ${v} as v from ${tx(SOURCE[w.tier].points)}
      where series_id = (select min(id) from sel) and bucket >= ${from} and bucket < ${to} and bounds is null) x`;
}
