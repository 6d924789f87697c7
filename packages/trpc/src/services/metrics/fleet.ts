import type { Sql } from '@sextant/db';
import { stepWithinBuckets } from '../../schemas/time-range';
import { runQuery } from './query';

export async function listTargets(sql: Sql) {
  return sql<{ service: string; environment: string }[]>`
    select distinct labels->>'service' as service, labels->>'environment' as environment from metric_series
    where labels ? 'service' and labels ? 'environment' order by 1, 2`;
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const worst = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
};

/** Multiples of a minute, so every step reads the 1 m or 1 h rollups. */
const FLEET_STEPS = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

/**
 * Every service × environment with RED figures over the window: 1-minute buckets, or the smallest wider step
 * that keeps the window within the shared bucket limit (a month reads 5-minute buckets).
 */
export async function fleet(sql: Sql, from: Date, to: Date) {
  const targets = await listTargets(sql);
  const step = stepWithinBuckets(from.getTime(), to.getTime(), FLEET_STEPS);
  return Promise.all(
    targets.map(async (t) => {
      const matchers = [
        { label: 'service', op: '=' as const, value: t.service },
        { label: 'environment', op: '=' as const, value: t.environment },
      ];
      const base = { from, to, step, errorMatcher: { label: 'status', op: '=~' as const, value: '5..' } };
      const requests = { name: 'http_requests_total', matchers };
      const [rate, errors, p95] = await Promise.all([
        runQuery(sql, { ...base, selector: requests, fn: 'rate' }),
        runQuery(sql, { ...base, selector: requests, fn: 'error_ratio' }),
        runQuery(sql, { ...base, selector: { name: 'http_request_duration_seconds', matchers }, fn: 'p95' }),
      ]);
      return {
        ...t,
        requestsPerSec: mean(rate.values),
        errorRatio: mean(errors.values),
        /** The worst bucket's p95 in the window. */
        p95Seconds: worst(p95.values),
      };
    }),
  );
}
