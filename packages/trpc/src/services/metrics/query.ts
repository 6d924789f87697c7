import type { Sql } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import type { MetricQuery } from '../../schemas/metrics';
import { histogramQuantile } from './quantile';
import { resolveSeries, type Series, seriesMatching } from './series';

type Tier = 'raw' | RollupTier;

/** The coarsest stored tier whose resolution still divides the step. */
export function pickTier(step: number): Tier {
  if (step % 3600 === 0) return '1h';
  if (step % 60 === 0) return '1m';
  return 'raw';
}

export interface QueryResult {
  tier: Tier;
  step: number;
  series: number;
  /** Start of the first bucket in epoch milliseconds; bucket `i` starts at `start + i * step * 1000`. */
  start: number;
  /** One value per bucket, `null` where there is no data: flat numbers serialise far cheaper than objects. */
  values: (number | null)[];
}

/**
 * metrics.query: aligned buckets of `step` seconds over [from, to), reading the coarsest tier that fits.
 * Sums, counts, min and max come out the same from every tier; rates and quantiles use each bucket's last sample.
 */
export async function runQuery(sql: Sql, q: MetricQuery): Promise<QueryResult> {
  const series = await resolveSeries(sql, q.selector);
  const tier = pickTier(q.step);
  const first = Math.floor(q.from.getTime() / 1000 / q.step);
  const last = Math.ceil(q.to.getTime() / 1000 / q.step); // exclusive
  const values: (number | null)[] = new Array(Math.max(0, last - first)).fill(null);
  const answer = { tier, step: q.step, series: series.length, start: first * q.step * 1000, values };
  if (series.length === 0) return answer;

  if (q.fn === 'avg' || q.fn === 'min' || q.fn === 'max' || q.fn === 'sum') {
    if (series.length === 1 && tier !== 'raw' && q.step === TIER_SECONDS[tier]) {
      const run = await tierRun(sql, tier, series[0]!.id, q, first, last);
      if (run) {
        for (let i = 0; i < run.values.length; i++) values[run.offset + i] = run.values[i]!;
        return answer;
      }
    }
    for (const { k, v } of await aggregate(sql, tier, series, q, first, last))
      if (k >= first && k < last) values[k - first] = v;
    return answer;
  }
  const found = await (q.fn === 'rate' || q.fn === 'error_ratio'
    ? rates(sql, tier, series, q, first, last)
    : quantiles(sql, tier, series, q, first, last));
  // Rates and quantiles also read one bucket before `from` as a baseline; it is not part of the answer.
  for (const [k, v] of found) if (k >= first && k < last) values[k - first] = v;
  return answer;
}

const TIER_SECONDS: Record<Tier, number> = { raw: 0, '1m': 60, '1h': 3_600 };

const TABLE: Record<Tier, { points: string; time: string }> = {
  raw: { points: 'metric_points', time: 'ts' },
  '1m': { points: 'metric_rollups_1m', time: 'bucket' },
  '1h': { points: 'metric_rollups_1h', time: 'bucket' },
};

function range(q: MetricQuery, first: number, last: number, lookBack = 0) {
  return { from: new Date((first - lookBack) * q.step * 1000), to: new Date(last * q.step * 1000) };
}

/** One row per bucket with data; the function is applied in SQL so only two columns travel back. */
async function aggregate(
  sql: Sql,
  tier: Tier,
  series: Series[],
  q: MetricQuery,
  first: number,
  last: number,
): Promise<{ k: number; v: number }[]> {
  const ids = series.map((s) => s.id);
  const { from, to } = range(q, first, last);
  const fn = q.fn as 'avg' | 'min' | 'max' | 'sum';
  if (tier === 'raw') {
    const v = {
      avg: sql`sum(value) / count(*)::float8`,
      sum: sql`sum(value)`,
      min: sql`min(value)`,
      max: sql`max(value)`,
    }[fn];
    return packed(
      sql,
      sql`
      select floor(date_part('epoch', ts) / ${q.step})::int as k, ${v} as v
      from metric_points where series_id = any(${ids}::bigint[]) and ts >= ${from} and ts < ${to} group by 1`,
    );
  }
  const v = {
    avg: sql`sum(sum) / sum(count)::float8`,
    sum: sql`sum(sum)`,
    min: sql`min(min)`,
    max: sql`max(max)`,
  }[fn];
  return packed(
    sql,
    sql`
    select floor(date_part('epoch', bucket) / ${q.step})::int as k, ${v} as v
    from ${sql(TABLE[tier].points)}
    where series_id = any(${ids}::bigint[]) and bucket >= ${from} and bucket < ${to} and bounds is null group by 1`,
  );
}

/** Column `v` as JSON number text; NaN and infinities have no JSON form and read as gaps. Postgres prints float8 exactly. */
const V_AS_JSON = `(case when v is null or v = 'NaN' or abs(v) = 'Infinity' then 'null' else v::text end)`;

/**
 * One series at the tier's own width, where every stored row is one bucket: when the rows are contiguous
 * (the usual case) only their values travel, in order; bucket keys cost as much again to compute and parse.
 * Returns null when there are gaps, and the caller places keyed rows instead.
 */
async function tierRun(sql: Sql, tier: Tier, id: string, q: MetricQuery, first: number, last: number) {
  const { from, to } = range(q, first, last);
  const fn = q.fn as 'avg' | 'min' | 'max' | 'sum';
  const v = { avg: sql`sum / count`, sum: sql`sum`, min: sql`min`, max: sql`max` }[fn];
  const [row] = await sql<{ first: Date | null; last: Date | null; n: number; j: string | null }[]>`
    select min(bucket) as first, max(bucket) as last, count(*)::int as n,
      string_agg(${sql.unsafe(V_AS_JSON)}, ',' order by bucket) as j
    from (select bucket, ${v} as v from ${sql(TABLE[tier].points)}
      where series_id = ${id} and bucket >= ${from} and bucket < ${to} and bounds is null) x`;
  if (!row?.first || !row.last || !row.j) return { offset: 0, values: [] };
  const stepMs = q.step * 1000;
  const offset = Math.round(row.first.getTime() / stepMs) - first;
  if (Math.round((row.last.getTime() - row.first.getTime()) / stepMs) + 1 !== row.n) return null;
  return { offset, values: JSON.parse(`[${row.j}]`) as (number | null)[] };
}

/**
 * Runs a (k, v) query and brings the rows back as one text value: parsing 1,440 rows was the API's largest
 * cost per answer, JSON.parse of one string is a fraction of it.
 */
async function packed(sql: Sql, rows: ReturnType<Sql>): Promise<{ k: number; v: number }[]> {
  const [row] = await sql<{ j: string | null }[]>`
    select string_agg(k::text || ',' || ${sql.unsafe(V_AS_JSON)}, ',') as j
    from (${rows}) x`;
  if (!row?.j) return [];
  const flat = JSON.parse(`[${row.j}]`) as (number | null)[];
  const out: { k: number; v: number }[] = [];
  for (let i = 0; i < flat.length; i += 2)
    if (flat[i + 1] !== null) out.push({ k: flat[i]!, v: flat[i + 1]! });
  return out;
}

/** Last sample per (series, bucket), one bucket earlier than asked so the first bucket has a baseline. */
async function lastPerBucket(
  sql: Sql,
  tier: Tier,
  ids: string[],
  q: MetricQuery,
  first: number,
  last: number,
) {
  const { from, to } = range(q, first, last, 1);
  const t = TABLE[tier];
  return tier === 'raw'
    ? sql<{ s: string; k: number; v: number }[]>`
        select distinct on (series_id, 2) series_id::text as s, floor(date_part('epoch', ts) / ${q.step})::int as k, value as v
        from metric_points where series_id = any(${ids}::bigint[]) and ts >= ${from} and ts < ${to}
        order by series_id, 2, ts desc`
    : sql<{ s: string; k: number; v: number }[]>`
        select distinct on (series_id, 2) series_id::text as s, floor(date_part('epoch', bucket) / ${q.step})::int as k, last as v
        from ${sql(t.points)} where series_id = any(${ids}::bigint[]) and bucket >= ${from} and bucket < ${to}
        order by series_id, 2, bucket desc`;
}

/**
 * Counter increase per bucket, with the number of buckets it covers (samples sparser than the step put
 * a gap between two buckets with data); a drop means a restart: the new value is the increase.
 */
function increases(rows: { s: string; k: number; v: number }[]) {
  const bySeries = new Map<string, Map<number, { inc: number; span: number }>>();
  const sorted = [...rows].sort((a, b) => (a.s === b.s ? a.k - b.k : a.s < b.s ? -1 : 1));
  let prev: { s: string; k: number; v: number } | null = null;
  for (const r of sorted) {
    if (prev && prev.s === r.s) {
      const m = bySeries.get(r.s) ?? new Map<number, { inc: number; span: number }>();
      m.set(r.k, { inc: r.v >= prev.v ? r.v - prev.v : r.v, span: r.k - prev.k });
      bySeries.set(r.s, m);
    }
    prev = r;
  }
  return bySeries;
}

async function rates(sql: Sql, tier: Tier, series: Series[], q: MetricQuery, first: number, last: number) {
  const incs = increases(
    await lastPerBucket(
      sql,
      tier,
      series.map((s) => s.id),
      q,
      first,
      last,
    ),
  );
  const out = new Map<number, number>();
  if (q.fn === 'rate') {
    // Per second over the time the increase really took, not just one step.
    for (const m of incs.values())
      for (const [k, { inc, span }] of m) out.set(k, (out.get(k) ?? 0) + inc / (span * q.step));
    return out;
  }
  const isError = await seriesMatching(
    sql,
    series.map((s) => s.id),
    q.errorMatcher,
  );
  const totals = new Map<number, { all: number; err: number }>();
  for (const [s, m] of incs) {
    for (const [k, { inc }] of m) {
      const t = totals.get(k) ?? { all: 0, err: 0 };
      t.all += inc;
      if (isError.has(s)) t.err += inc;
      totals.set(k, t);
    }
  }
  for (const [k, t] of totals) if (t.all > 0) out.set(k, t.err / t.all);
  return out;
}

async function quantiles(
  sql: Sql,
  tier: Tier,
  series: Series[],
  q: MetricQuery,
  first: number,
  last: number,
) {
  const ids = series.map((s) => s.id);
  const { from, to } = range(q, first, last, 1);
  const rows =
    tier === 'raw'
      ? await sql<{ s: string; k: number; bounds: number[]; counts: number[] }[]>`
          select distinct on (series_id, 2) series_id::text as s, floor(date_part('epoch', ts) / ${q.step})::int as k, bounds, counts
          from metric_histograms where series_id = any(${ids}::bigint[]) and ts >= ${from} and ts < ${to}
          order by series_id, 2, ts desc`
      : await sql<{ s: string; k: number; bounds: number[]; counts: number[] }[]>`
          select distinct on (series_id, 2) series_id::text as s, floor(date_part('epoch', bucket) / ${q.step})::int as k, bounds, counts
          from ${sql(TABLE[tier].points)} where series_id = any(${ids}::bigint[]) and bucket >= ${from} and bucket < ${to}
            and bounds is not null
          order by series_id, 2, bucket desc`;
  // Per bucket: the increase of every bound's cumulative count, added up across series by bound.
  const perBucket = new Map<number, Map<number, number>>();
  const sorted = [...rows].sort((a, b) => (a.s === b.s ? a.k - b.k : a.s < b.s ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.s !== cur.s) continue;
    const reset = cur.counts.some((c, j) => c < (prev.counts[j] ?? 0));
    const m = perBucket.get(cur.k) ?? new Map<number, number>();
    cur.bounds.forEach((b, j) => {
      const inc = reset ? cur.counts[j]! : cur.counts[j]! - (prev.counts[j] ?? 0);
      m.set(b, (m.get(b) ?? 0) + inc);
    });
    perBucket.set(cur.k, m);
  }
  const qv = q.fn === 'p50' ? 0.5 : q.fn === 'p95' ? 0.95 : 0.99;
  const out = new Map<number, number>();
  for (const [k, m] of perBucket) {
    const bounds = [...m.keys()].sort((a, b) => a - b);
    const v = histogramQuantile(
      qv,
      bounds,
      bounds.map((b) => m.get(b)!),
    );
    if (v !== null) out.set(k, v);
  }
  return out;
}
