import type { Queries } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import type { MetricQuery } from '../../schemas/metrics';
import { selection } from './series';

export type Tier = 'raw' | RollupTier;
/** A piece of SQL to splice into another. */
type Fragment = ReturnType<Queries['unsafe']>;

/** Where each tier keeps its samples: raw points and histograms, or rollup rows keyed by bucket. */
const SOURCE: Record<Tier, { points: string; histograms: string; time: string }> = {
  raw: { points: 'metric_points', histograms: 'metric_histograms', time: 'ts' },
  '1m': { points: 'metric_rollups_1m', histograms: 'metric_rollups_1m', time: 'bucket' },
  '1h': { points: 'metric_rollups_1h', histograms: 'metric_rollups_1h', time: 'bucket' },
};

/** Column `v` as JSON number text; NaN and infinities have no JSON form and read as gaps. Postgres prints float8 exactly. */
const V_AS_JSON = `(case when v is null or v = 'NaN' or abs(v) = 'Infinity' then 'null' else v::text end)`;

export interface Window {
  tier: Tier;
  step: number;
  /** First and last (exclusive) bucket index, `floor(epoch seconds / step)`. */
  first: number;
  last: number;
}

/**
 * One statement per query: the selected series (`sel`), their samples in the window from the tier's table, and the
 * function applied per (group, bucket) in Postgres. Only the answer travels back: one row per group, its
 * buckets packed as "k,v,k,v…" text (JSON.parse of one string is far cheaper than a row per bucket).
 */
export function aggregateStatement(tx: Queries, q: MetricQuery, w: Window) {
  const sel = selection(tx, q.selector, q.by, q.fn === 'error_ratio' ? q.errorMatcher : undefined);
  // Rates and quantiles also read one bucket before `from` as a baseline; it is not part of the answer.
  const lookBack = q.fn === 'rate' || q.fn === 'error_ratio' || q.fn.startsWith('p') ? 1 : 0;
  const from = new Date((w.first - lookBack) * w.step * 1000);
  const to = new Date(w.last * w.step * 1000);
  const src = SOURCE[w.tier];
  const k = tx`floor(date_part('epoch', ${tx(src.time)}) / ${w.step})::int`;
  const ids = tx`series_id = any(array(select id from sel)) and ${tx(src.time)} >= ${from} and ${tx(src.time)} < ${to}`;
  const rollup = w.tier !== 'raw';
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
    // Without `by` every row is in the one group: no join, and a single-column grouping.
    const grouped = q.by.length > 0;
    body = tx`
      select ${grouped ? tx`sel.g` : tx`'{}'::jsonb`} as g, ${k} as k, ${v[q.fn]} as v from ${tx(src.points)} p
      ${grouped ? tx`join sel on sel.id = p.series_id` : tx``}
      where ${ids} ${rollup ? tx`and bounds is null` : tx``} group by ${grouped ? tx`1, 2` : tx`2`}`;
  } else {
    const last = lastPerBucket(
      tx,
      q.fn === 'rate' || q.fn === 'error_ratio' ? 'points' : 'histograms',
      w,
      k,
      ids,
    );
    body =
      q.fn === 'rate' || q.fn === 'error_ratio'
        ? rates(tx, q.fn, w.step, last, q.by.length > 0)
        : quantile(tx, q.fn, last);
  }
  return tx`
    with sel as materialized (${sel})
    select g::text as g, string_agg(k::text || ',' || ${tx.unsafe(V_AS_JSON)}, ',' order by k) as j
    from (${body}) z where k >= ${w.first} and k < ${w.last} group by g`;
}

/**
 * Each series' last sample per bucket with the previous bucket's (`pv`, `pk`): the same rows on every tier, since a
 * rollup keeps its bucket's last value (points) or last cumulative snapshot (histograms).
 */
function lastPerBucket(tx: Queries, what: 'points' | 'histograms', w: Window, k: Fragment, ids: Fragment) {
  const src = SOURCE[w.tier];
  const time = tx(src.time);
  const rollup = w.tier !== 'raw';
  const cols = what === 'points' ? tx`${rollup ? tx`last` : tx`value`} as v` : tx`bounds, counts`;
  const table = tx(what === 'points' ? src.points : src.histograms);
  const kind = rollup ? (what === 'points' ? tx`and bounds is null` : tx`and bounds is not null`) : tx``;
  const prev =
    what === 'points' ? tx`lag(v) over w as pv` : tx`lag(bounds) over w as pb, lag(counts) over w as pc`;
  return tx`
    select l.*, lag(k) over w as pk, ${prev} from (
      select distinct on (series_id, 2) series_id, ${k} as k, ${cols} from ${table}
      where ${ids} ${kind} order by series_id, 2, ${time} desc) l
    window w as (partition by series_id order by k)`;
}

/**
 * Counter increase per series between buckets with data, per second of the time it really took (samples sparser
 * than the step leave buckets between); a drop means a restart, and the new value is the increase.
 */
function rates(tx: Queries, fn: 'rate' | 'error_ratio', step: number, last: Fragment, grouped: boolean) {
  const inc = tx`case when d.v >= d.pv then d.v - d.pv else d.v end`;
  const v =
    fn === 'rate'
      ? tx`sum(${inc} / ((d.k - d.pk) * ${step}::float8))`
      : tx`coalesce(sum(${inc}) filter (where sel.err), 0) / nullif(sum(${inc}), 0)`;
  // Plain rate without `by`: every row is in the one group, no join needed.
  const join = grouped || fn === 'error_ratio';
  return tx`
    select ${join ? tx`sel.g` : tx`'{}'::jsonb`} as g, d.k, ${v} as v
    from (${last}) d ${join ? tx`join sel on sel.id = d.series_id` : tx``} where d.pk is not null
    group by ${join ? tx`1, 2` : tx`2`}`;
}

/**
 * Prometheus' histogram_quantile over the buckets' increases added up by bound across a group's series: linear
 * interpolation inside the bucket holding the q-th observation; a running max keeps merged counts monotonic
 * (series with different bounds), and `+Inf` answers the bound below it.
 */
function quantile(tx: Queries, fn: string, last: Fragment) {
  const q = fn === 'p50' ? 0.5 : fn === 'p95' ? 0.95 : 0.99;
  return tx`
    with d as (
      -- A reset (any count dropped) or a new bucket layout: the snapshot itself is the increase.
      select d.series_id, d.k, d.bounds, d.counts,
        case when d.pb is distinct from d.bounds or exists (select 1 from unnest(d.counts, d.pc) u(c, p) where c < p)
          then null else d.pc end as base
      from (${last}) d where d.pc is not null
    ), h as (
      select sel.g, d.k, u.b, sum(u.c - coalesce(u.p, 0)) as c
      from d join sel on sel.id = d.series_id, unnest(d.bounds, d.counts, d.base) u(b, c, p) group by 1, 2, 3
    ), m as (
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

const TIER_SECONDS: Record<Tier, number> = { raw: 0, '1m': 60, '1h': 3_600 };

/**
 * One series at its tier's own width, where every stored row is one bucket: when the rows are contiguous (the usual
 * case) only their values travel, in order; bucket keys cost as much again to compute and parse. Null where it
 * does not apply; the caller checks `n` against the span for gaps.
 */
export function tierRunStatement(tx: Queries, q: MetricQuery, w: Window) {
  if (w.tier === 'raw' || w.step !== TIER_SECONDS[w.tier] || q.by.length > 0) return null;
  if (q.fn !== 'avg' && q.fn !== 'min' && q.fn !== 'max' && q.fn !== 'sum') return null;
  const v = { avg: tx`sum / count`, sum: tx`sum`, min: tx`min`, max: tx`max` }[q.fn];
  // `matched` re-checks the count, since the caller's came from a cache.
  return tx<{ matched: number; first: Date | null; last: Date | null; n: number; j: string | null }[]>`
    with sel as materialized (select id from (${selection(tx, q.selector, [])}) s limit 2)
    select (select count(*) from sel)::int as matched, min(bucket) as first, max(bucket) as last, count(*)::int as n,
      string_agg(${tx.unsafe(V_AS_JSON)}, ',' order by bucket) as j
    from (select bucket, ${v} as v from ${tx(SOURCE[w.tier].points)}
      where series_id = (select min(id) from sel) and bucket >= ${new Date(w.first * w.step * 1000)}
        and bucket < ${new Date(w.last * w.step * 1000)} and bounds is null) x`;
}
