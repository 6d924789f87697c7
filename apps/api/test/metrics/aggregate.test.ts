import { ensurePartitions } from '@sextant/db';
import { rollupHours, rollupMinutes } from '@sextant/trpc';
import { beforeAll, describe, expect, it } from 'vitest';
import { refused, useTestApi } from '../helpers';
import {
  type Bucketed,
  type HistSample,
  plainOracle,
  quantileOracle,
  rateOracle,
  type Sample,
} from './oracle';

const api = useTestApi({ API_MAX_EVENT_LOOP_DELAY_MS: '0' });

// 5,000 counter series (250 routes × 2 statuses × 10 instances) and 300 histograms, every 5 minutes for two hours,
// integer values and one restart per series, so sums are exact and every tier holds the same samples.
const SERIES = 5_000;
const HISTOGRAMS = 300;
const SAMPLES = 24;
const h0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
const ts = (i: number, j: number) => h0 + j * 300_000 + (i % 5) * 11_000;
const route = (i: number) => `r${i % 250}`;
const status = (i: number) => (Math.floor(i / 250) % 2 ? '500' : '200');
const instance = (i: number) => `i${Math.floor(i / 500)}`;
const restart = (i: number) => 5 + (i % 15);
const BOUNDS = [0.05, 0.1, 0.5, 1, Number.POSITIVE_INFINITY];

const points: Sample[] = [];
for (let i = 0; i < SERIES; i++)
  for (let j = 0; j < SAMPLES; j++) {
    const step = 1 + (i % 7);
    points.push({
      series: i,
      ts: ts(i, j),
      value: j < restart(i) ? 1_000 + j * step : (j - restart(i)) * step,
    });
  }
const histograms: HistSample[] = [];
for (let i = 0; i < HISTOGRAMS; i++) {
  const per = [1 + (i % 3), 2, 3 + (i % 2), 1 + (i % 4), 1];
  const cumulative = per.map((_, b) => per.slice(0, b + 1).reduce((x, y) => x + y, 0));
  for (let j = 0; j < SAMPLES; j++) {
    const n = j < restart(i) ? j + 1 + (i % 5) : j - restart(i) + 1;
    histograms.push({ series: i, ts: ts(i, j), bounds: BOUNDS, counts: cumulative.map((c) => c * n) });
  }
}

let client: Awaited<ReturnType<typeof api.withKey>>['client'];

beforeAll(async () => {
  await ensurePartitions(api.sql as never, new Date(h0 - 86_400_000), new Date(Date.now() + 86_400_000));
  const { key } = await api.withKey('maintainer');
  const post = async (body: unknown) => {
    const res = await fetch(`${api.baseUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
  };
  const labels = (i: number) => ({
    service: 'agg-shop',
    environment: 'PRO',
    route: route(i),
    status: status(i),
    instance: instance(i),
  });
  for (let i = 0; i < points.length; i += 40_000)
    await post({
      points: points.slice(i, i + 40_000).map((p) => ({
        name: 'agg_requests_total',
        labels: labels(p.series),
        ts: p.ts,
        value: p.value,
        kind: 'counter',
      })),
    });
  await post({
    histograms: histograms.map((h) => ({
      name: 'agg_duration_seconds',
      labels: { service: 'agg-shop', route: `r${h.series % 30}`, instance: `i${Math.floor(h.series / 30)}` },
      ts: h.ts,
      buckets: h.bounds.map((le, b) => ({
        le: le === Number.POSITIVE_INFINITY ? '+Inf' : le,
        count: h.counts[b]!,
      })),
      sum: h.counts.at(-1)! / 10,
      count: h.counts.at(-1)!,
    })),
  });
  await rollupMinutes(api.sql as never, new Date(h0), new Date(h0 + 2 * 3_600_000));
  await rollupHours(api.sql as never, new Date(h0), new Date(h0 + 2 * 3_600_000));
  ({ client } = await api.withKey('viewer'));
}, 300_000);

type Fn = 'sum' | 'avg' | 'min' | 'max' | 'rate' | 'error_ratio' | 'p50' | 'p95' | 'p99';
const selector = (name: string) => ({
  name,
  matchers: [{ label: 'service', op: '=' as const, value: 'agg-shop' }],
});
const TIERS = [
  { tier: 'raw', step: 450 },
  { tier: '1m', step: 300 },
  { tier: '1h', step: 3_600 },
] as const;
const window = (step: number) => ({ step, from: h0, to: h0 + 2 * 3_600_000 });

function oracle(fn: Fn, step: number, group: (s: number) => string): Bucketed {
  const w = window(step);
  if (fn === 'rate' || fn === 'error_ratio')
    return rateOracle(points, fn, w, group, (s) => status(s) === '500');
  if (fn === 'p50' || fn === 'p95' || fn === 'p99')
    return quantileOracle(histograms, { p50: 0.5, p95: 0.95, p99: 0.99 }[fn], w, group);
  return plainOracle(points, fn, w, group);
}

/** An answer's buckets as (bucket index → value), gaps left out, to compare with the oracle's. */
const keyed = (start: number, step: number, values: (number | null)[]) =>
  new Map(values.flatMap((v, i) => (v === null ? [] : [[start / 1000 / step + i, v] as const])));

function expectSame(actual: Map<number, number>, expected: Map<number, number> | undefined, what: string) {
  expect([...actual.keys()], what).toEqual([...(expected ?? new Map()).keys()].sort((a, b) => a - b));
  for (const [k, v] of actual) expect(v, `${what} @${k}`).toBeCloseTo(expected!.get(k)!, 9);
}

describe('aggregation in the database over 5,000 series', () => {
  for (const { tier, step } of TIERS) {
    it(`every function from ${tier} equals the JS answer over the generated samples`, async () => {
      for (const fn of ['sum', 'avg', 'min', 'max', 'rate', 'error_ratio', 'p50', 'p95', 'p99'] as const) {
        const name = fn.startsWith('p') ? 'agg_duration_seconds' : 'agg_requests_total';
        const w = window(step);
        const r = await client.metrics.query.query({
          selector: selector(name),
          from: new Date(w.from),
          to: new Date(w.to),
          step,
          fn,
        });
        expect([r.tier, r.series], fn).toEqual([tier, fn.startsWith('p') ? HISTOGRAMS : SERIES]);
        const values = keyed(r.start, step, r.values);
        expect(values.size, fn).toBeGreaterThan(0);
        expectSame(values, oracle(fn, step, () => '').get(''), `${tier} ${fn}`);
      }
    });

    it(`from ${tier}, by route answers one series per route, each its own series' answer, adding up to the total`, async () => {
      for (const fn of ['sum', 'rate'] as const) {
        const w = window(step);
        const input = {
          selector: selector('agg_requests_total'),
          from: new Date(w.from),
          to: new Date(w.to),
          step,
          fn,
        };
        const [total, byRoute] = await Promise.all([
          client.metrics.query.query(input),
          client.metrics.query.query({ ...input, by: ['route'] }),
        ]);
        expect(byRoute.values).toEqual([]);
        expect(byRoute.groups).toHaveLength(250);
        const expected = oracle(fn, step, route);
        const added = total.values.map(() => null as number | null);
        for (const g of byRoute.groups!) {
          expectSame(
            keyed(byRoute.start, step, g.values),
            expected.get(g.labels.route!),
            `${tier} ${fn} ${g.labels.route}`,
          );
          g.values.forEach((v, i) => {
            if (v !== null) added[i] = (added[i] ?? 0) + v;
          });
        }
        expectSame(
          keyed(total.start, step, added),
          keyed(total.start, step, total.values),
          `${tier} ${fn} Σ routes`,
        );
      }
    });
  }

  it('error_ratio is 0, not a gap, where there is traffic and no errors', async () => {
    const w = window(300);
    const r = await client.metrics.query.query({
      selector: { name: 'agg_requests_total', matchers: [{ label: 'status', op: '=', value: '200' }] },
      from: new Date(w.from),
      to: new Date(w.to),
      step: 300,
      fn: 'error_ratio',
    });
    const traffic = oracle('rate', 300, () => '').get('')!;
    expect([...keyed(r.start, 300, r.values)]).toEqual(
      [...traffic.keys()].sort((a, b) => a - b).map((k) => [k, 0]),
    );
  });

  it('refuses a `by` that would answer more than 500 series, naming the count and the limit', async () => {
    const w = window(300);
    const { data, message } = await refused(
      client.metrics.query.query({
        selector: selector('agg_requests_total'),
        from: new Date(w.from),
        to: new Date(w.to),
        step: 300,
        fn: 'rate',
        by: ['route', 'instance'],
      }),
    );
    expect(data.appCode).toBe('VALIDATION_FAILED');
    expect(message).toBe(
      'The query would return 2500 series (the limit is 500); group by fewer labels or add label matchers.',
    );
  });
});
