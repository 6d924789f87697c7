import type { Sql } from '@sextant/db';
import { niceStep } from '../../schemas/time-range';
import { runQuery } from './query';

/** Every service × environment pair some stored series is labelled with (scraped or pushed). */
function labelledPairs(sql: Sql) {
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

/**
 * Every service × environment with RED figures over the window: 1-minute buckets, or the smallest wider step
 * that keeps the window within the shared bucket limit (a month reads 5-minute buckets).
 */
export async function fleet(sql: Sql, from: Date, to: Date) {
  const pairs = await labelledPairs(sql);
  const step = niceStep(from.getTime(), to.getTime(), { minSeconds: 60 });
  return Promise.all(
    pairs.map(async (t) => {
      const matchers = [
        { label: 'service', op: '=' as const, value: t.service },
        { label: 'environment', op: '=' as const, value: t.environment },
      ];
      const base = {
        from,
        to,
        step,
        by: [],
        errorMatcher: { label: 'status', op: '=~' as const, value: '5..' },
      };
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
