import type { Queries } from '@sextant/db';
import type { RollupTier } from '@sextant/db/enums';
import type { MetricQuery } from '../../schemas/metrics';
import { bucketIndex, quantile, rateValue, V_AS_JSON, type Window, windowDates } from './query-sql';
import { conditions, LE_AS_NUMBER } from './series';

const TABLE: Record<RollupTier, string> = { '1m': 'metric_agg_1m', '1h': 'metric_agg_1h' };

/**
 * One statement per query on the service tier (metric × service × environment × err × le rows): the same functions
 * as the per-series tiers over rows already added up across series, so no series is read. `matched` is the most
 * series one stored bucket added up; one row with `g` null when nothing answered.
 */
export function serviceStatement(tx: Queries, q: MetricQuery, w: Window & { tier: `service-${RollupTier}` }) {
  const table = tx(TABLE[w.tier.slice(8) as RollupTier]);
  const { from, to } = windowDates(w);
  // Matchers and groups on the key's columns; '' stands for a missing label, as the matchers expect.
  const where = tx`name = ${q.selector.name} and ${conditions(tx, q.selector.matchers, (label) => tx`${tx(label)}`)}
    and bucket >= ${from} and bucket < ${to}`;
  const g =
    q.by.length === 0
      ? tx`'{}'::jsonb`
      : tx`jsonb_strip_nulls(jsonb_build_object(${q.by.reduce(
          (all, label, i) => tx`${all}${i ? tx`, ` : tx``}${label}::text, nullif(${tx(label)}, '')`,
          tx``,
        )}))`;
  const k = bucketIndex(tx, tx`bucket`, w);
  let body: ReturnType<Queries['unsafe']>;
  if (q.fn === 'p50' || q.fn === 'p95' || q.fn === 'p99') {
    // Histograms' increases per bound, and classic `_bucket` counters as one bound per `le`.
    body = quantile(
      tx,
      q.fn,
      tx`
      select g, k, b, sum(c) as c from (
        select ${g} as g, ${k} as k, u.b, u.c from a, unnest(a.bounds, a.inc_counts) u(b, c) where a.bounds is not null
        union all
        select ${g}, ${k}, ${tx.unsafe(LE_AS_NUMBER('le'))}, inc from a where count > 0 and ${tx.unsafe(LE_AS_NUMBER('le'))} is not null
      ) x group by 1, 2, 3`,
    );
  } else {
    const v = {
      avg: tx`sum(sum) / sum(count)::float8`,
      sum: tx`sum(sum)`,
      min: tx`min(min)`,
      max: tx`max(max)`,
      rate: rateValue(tx, 'rate', w.step, tx`err`),
      error_ratio: rateValue(tx, 'error_ratio', w.step, tx`err`),
    }[q.fn];
    // Rows of histograms only count nothing (count = 0): they are not part of these functions.
    body = tx`select ${g} as g, ${k} as k, ${v} as v from a where count > 0 group by 1, 2`;
  }
  return tx<{ matched: number; g: string | null; j: string | null }[]>`
    with a as materialized (select * from ${table} where ${where})
    select (select coalesce(max(n), 0) from (select sum(series) as n from a group by bucket) s)::int as matched, z.g, z.j
    from (select 1) one left join (
      select g::text as g, string_agg(k::text || ',' || ${tx.unsafe(V_AS_JSON)}, ',' order by k) as j
      from (${body}) y where k >= ${w.first} and k < ${w.last} group by g
    ) z on true`;
}
