import type { Sql } from '@sextant/db';
import { DEFAULT_ERROR_MATCHER } from '../../schemas/metrics';
import { niceStep } from '../../schemas/time-range';
import { runQuery } from './query';

/**
 * Every service × environment with data in the window, from the service tier (never metric_series): its hours, and
 * its minutes for the hour not rolled up yet.
 */
function labelledPairs(sql: Sql, from: Date, to: Date) {
  return sql<{ service: string; environment: string }[]>`
    select service, environment from metric_agg_1h
    where bucket >= date_trunc('hour', ${from}::timestamptz) and bucket < ${to} and service <> '' and environment <> ''
    union
    select service, environment from metric_agg_1m
    where bucket >= greatest(${from}::timestamptz, date_trunc('hour', now()) - interval '1 hour') and bucket < ${to}
      and service <> '' and environment <> ''
    order by 1, 2`;
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const worst = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
};

/**
 * Every service × environment with RED figures over the window: 1-minute buckets, or the smallest wider step
 * that keeps the window within the shared bucket limit (a month reads 5-minute buckets). Each figure is one query
 * of the service tier grouped by service and environment, for the whole fleet at once.
 */
export async function fleet(sql: Sql, from: Date, to: Date) {
  const step = niceStep(from.getTime(), to.getTime(), { minSeconds: 60 });
  const base = {
    from,
    to,
    step,
    by: ['service', 'environment'],
    errorMatcher: DEFAULT_ERROR_MATCHER,
  };
  const requests = { name: 'http_requests_total', matchers: [] };
  // Internal: one group per pair, however many pairs the fleet has.
  const all = { returnedSeries: Number.POSITIVE_INFINITY };
  const [pairs, rate, errors, p95] = await Promise.all([
    labelledPairs(sql, from, to),
    runQuery(sql, { ...base, selector: requests, fn: 'rate' }, all),
    runQuery(sql, { ...base, selector: requests, fn: 'error_ratio' }, all),
    runQuery(
      sql,
      { ...base, selector: { name: 'http_request_duration_seconds', matchers: [] }, fn: 'p95' },
      all,
    ),
  ]);
  const key = (l: Record<string, string | undefined>) => `${l.service}\n${l.environment}`;
  const byPair = (r: typeof rate) => new Map(r.groups?.map((g) => [key(g.labels), g.values]));
  const [rates, ratios, p95s] = [byPair(rate), byPair(errors), byPair(p95)];
  const of = (m: typeof rates, t: { service: string; environment: string }) => m.get(key(t)) ?? [];
  return pairs.map((t) => ({
    ...t,
    requestsPerSec: mean(of(rates, t)),
    errorRatio: mean(of(ratios, t)),
    /** The worst bucket's p95 in the window. */
    p95Seconds: worst(of(p95s, t)),
  }));
}
