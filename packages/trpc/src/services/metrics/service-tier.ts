import type { Queries } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import { DEFAULT_ERROR_MATCHER } from '../../schemas/metrics';

const TABLES: Record<RollupTier, { rollups: string; agg: string }> = {
  '1m': { rollups: 'metric_rollups_1m', agg: 'metric_agg_1m' },
  '1h': { rollups: 'metric_rollups_1h', agg: 'metric_agg_1h' },
};

/** The status pattern the service tier files under `err`: the default errorMatcher of metrics.query. */
export const SERVICE_TIER_ERROR = DEFAULT_ERROR_MATCHER;

/**
 * Rebuilds the service tier's buckets in [from, to) from the same tier's per-series rollups: every series of a
 * metric × service × environment × err × le added up (sums, counts, extremes, increases; histogram increases per
 * bound over the union of the series' bounds). Runs right after the per-series rollup of the same window.
 */
export async function rollupServices(sql: Queries, tier: RollupTier, from: Date, to: Date) {
  const { rollups, agg } = TABLES[tier];
  await sql`
    with r as (
      select s.name, coalesce(s.labels->>'service', '') as service, coalesce(s.labels->>'environment', '') as environment,
        coalesce(s.labels->>'status', '') ~ ${`^(?:${SERVICE_TIER_ERROR.value})$`} as err,
        coalesce(s.labels->>'le', '') as le, r.bucket, r.count, r.sum, r.min, r.max, r.inc, r.bounds, r.inc_counts
      from ${sql(rollups)} r join metric_series s on s.id = r.series_id
      where r.bucket >= ${from} and r.bucket < ${to}
    ), p as (
      select name, service, environment, err, le, bucket, count(*)::int as series,
        coalesce(sum(count) filter (where bounds is null), 0)::bigint as count,
        coalesce(sum(sum) filter (where bounds is null), 0) as sum,
        min(min) filter (where bounds is null) as min, max(max) filter (where bounds is null) as max,
        sum(inc) filter (where bounds is null) as inc
      from r group by 1, 2, 3, 4, 5, 6
    ), hb as (
      select name, service, environment, err, le, bucket, u.b, sum(u.c) as c
      from r, unnest(r.bounds, r.inc_counts) u(b, c) where r.bounds is not null group by 1, 2, 3, 4, 5, 6, 7
    ), h as (
      select name, service, environment, err, le, bucket, array_agg(b order by b) as bounds,
        array_agg(c order by b) as inc_counts
      from hb group by 1, 2, 3, 4, 5, 6
    )
    insert into ${sql(agg)} (name, service, environment, err, le, bucket, series, count, sum, min, max, inc, bounds, inc_counts)
    select p.*, h.bounds, h.inc_counts from p left join h using (name, service, environment, err, le, bucket)
    on conflict (name, service, environment, err, le, bucket) do update set series = excluded.series,
      count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, inc = excluded.inc,
      bounds = excluded.bounds, inc_counts = excluded.inc_counts`;
}
