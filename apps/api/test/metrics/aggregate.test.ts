import { ensurePartitions } from '@sextant/db';
import { drainRollupBacklog, rollupHours, rollupMinutes } from '@sextant/trpc';
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

// 5,000 counter series (250 routes × 2 statuses × 10 instances), 300 histograms and 50 delta counters, every 5
// minutes for two hours, integer values and one restart per series, so sums are exact and every tier holds the same
// samples.
const SERIES = 5_000;
const HISTOGRAMS = 300;
const DELTAS = 50;
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

const deltas: Sample[] = [];
for (let i = 0; i < DELTAS; i++)
  for (let j = 0; j < SAMPLES; j++) deltas.push({ series: i, ts: ts(i, j), value: (i % 9) + (j % 4) });

let client: Awaited<ReturnType<typeof api.withKey>>['client'];
let post: (body: unknown) => Promise<void>;
const requests = (list: Sample[]) => ({
  points: list.map((p) => ({
    name: 'agg_requests_total',
    labels: {
      service: 'agg-shop',
      environment: 'PRO',
      route: route(p.series),
      status: status(p.series),
      instance: instance(p.series),
    },
    ts: p.ts,
    value: p.value,
    kind: 'counter',
  })),
});

beforeAll(async () => {
  await ensurePartitions(api.sql as never, new Date(h0 - 86_400_000), new Date(Date.now() + 86_400_000));
  const { key } = await api.withKey('maintainer');
  post = async (body: unknown) => {
    const res = await fetch(`${api.baseUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
  };
  for (let i = 0; i < points.length; i += 40_000) await post(requests(points.slice(i, i + 40_000)));
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
  await post({
    points: deltas.map((p) => ({
      name: 'agg_delta_total',
      labels: {
        service: 'agg-shop',
        environment: 'PRO',
        instance: instance(p.series * 100),
        shard: `s${p.series}`,
      },
      ts: p.ts,
      value: p.value,
      kind: 'delta_counter',
    })),
  });
  await rollupMinutes(api.sql as never, new Date(h0), new Date(h0 + 2 * 3_600_000));
  await rollupHours(api.sql as never, new Date(h0), new Date(h0 + 2 * 3_600_000));
  // Rolled up above: the late sample below must be the backlog's only business.
  await api.sql`delete from metric_rollup_backlog`;
  ({ client } = await api.withKey('viewer'));
}, 300_000);

type Fn = 'sum' | 'avg' | 'min' | 'max' | 'rate' | 'error_ratio' | 'p50' | 'p95' | 'p99';
type Tier = (typeof TIERS)[number]['tier'];
/** The service's series; on the per-series tiers with a matcher the service tier has no column for. */
const selector = (name: string, tier: Tier) => ({
  name,
  matchers: [
    { label: 'service', op: '=' as const, value: 'agg-shop' },
    ...(tier.startsWith('service') ? [] : [{ label: 'instance', op: '=~' as const, value: 'i.+' }]),
  ],
});
const TIERS = [
  { tier: 'raw', step: 450 },
  { tier: '1m', step: 300 },
  { tier: '1h', step: 3_600 },
  { tier: 'service-1m', step: 300 },
  { tier: 'service-1h', step: 3_600 },
] as const;
const window = (step: number) => ({ step, from: h0, to: h0 + 2 * 3_600_000 });
/** metrics.query over the whole two hours, on the tier's selector of `name`. */
const ask = (name: string, tier: Tier, step: number, fn: Fn) => {
  const w = window(step);
  return client.metrics.query.query({
    selector: selector(name, tier),
    from: new Date(w.from),
    to: new Date(w.to),
    step,
    fn,
  });
};

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
        const r = await ask(name, tier, step, fn);
        expect([r.tier, r.series], fn).toEqual([tier, fn.startsWith('p') ? HISTOGRAMS : SERIES]);
        const values = keyed(r.start, step, r.values);
        expect(values.size, fn).toBeGreaterThan(0);
        expectSame(values, oracle(fn, step, () => '').get(''), `${tier} ${fn}`);
      }
    });

    it(`from ${tier}, a delta_counter's rate is Σ of its values per step and its sum that of a gauge`, async () => {
      for (const fn of ['rate', 'sum'] as const) {
        const w = window(step);
        const r = await ask('agg_delta_total', tier, step, fn);
        expect([r.tier, r.series], fn).toEqual([tier, DELTAS]);
        const expected =
          fn === 'rate'
            ? rateOracle(
                deltas,
                fn,
                w,
                () => '',
                () => false,
                () => true,
              )
            : plainOracle(deltas, fn, w, () => '');
        expectSame(keyed(r.start, step, r.values), expected.get(''), `${tier} delta ${fn}`);
      }
    });
  }

  for (const { tier, step } of TIERS.filter((t) => !t.tier.startsWith('service'))) {
    it(`from ${tier}, by route answers one series per route, each its own series' answer, adding up to the total`, async () => {
      for (const fn of ['sum', 'rate'] as const) {
        const w = window(step);
        const input = {
          selector: selector('agg_requests_total', tier),
          from: new Date(w.from),
          to: new Date(w.to),
          step,
          fn,
        };
        const [total, byRoute] = await Promise.all([
          client.metrics.query.query(input),
          client.metrics.query.query({ ...input, by: ['route'] }),
        ]);
        expect([total.tier, byRoute.tier]).toEqual([tier, tier]);
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
        if (tier === 'raw') continue;
        // The service tier of the same resolution, plain and by service, answers that same sum.
        const plain = { ...input, selector: selector('agg_requests_total', 'service-1m') };
        const [service, byService] = await Promise.all([
          client.metrics.query.query(plain),
          client.metrics.query.query({ ...plain, by: ['service'] }),
        ]);
        expect([service.tier, byService.tier]).toEqual([`service-${tier}`, `service-${tier}`]);
        expect(byService.groups!.map((g) => g.labels)).toEqual([{ service: 'agg-shop' }]);
        for (const values of [service.values, byService.groups![0]!.values])
          expectSame(
            keyed(total.start, step, values),
            keyed(total.start, step, added),
            `service-${tier} ${fn}`,
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
    const ok = points.filter((p) => status(p.series) === '200');
    const traffic = rateOracle(
      ok,
      'rate',
      w,
      () => '',
      () => false,
    ).get('')!;
    expect([...keyed(r.start, 300, r.values)]).toEqual(
      [...traffic]
        .filter(([, v]) => v > 0)
        .map(([k]) => k)
        .sort((a, b) => a - b)
        .map((k) => [k, 0]),
    );
  });

  it('error_ratio with an errorMatcher of its own reads the per-series tier; the default one the service tier', async () => {
    const w = window(300);
    const input = {
      selector: selector('agg_requests_total', 'service-1m'),
      from: new Date(w.from),
      to: new Date(w.to),
      step: 300,
      fn: 'error_ratio' as const,
    };
    const [own, service] = await Promise.all([
      client.metrics.query.query({ ...input, errorMatcher: { label: 'status', op: '=~', value: '50.' } }),
      client.metrics.query.query(input),
    ]);
    expect([own.tier, service.tier]).toEqual(['1m', 'service-1m']);
    // The statuses are 200 and 500, so both matchers pick the same series.
    for (const r of [own, service])
      expectSame(keyed(r.start, 300, r.values), oracle('error_ratio', 300, () => '').get(''), r.tier);
  });

  it('refuses a `by` that would answer more than 500 series, naming the count and the limit', async () => {
    const w = window(300);
    const { data, message } = await refused(
      client.metrics.query.query({
        selector: selector('agg_requests_total', '1m'),
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

  it('a late sample, even one that makes the next look like a restart, reaches every tier once the backlog is drained', async () => {
    // Between series 7's samples 9 and 10, under a minute before the next; above it, so the next one reads as a reset.
    const late = { series: 7, ts: ts(7, 10) - 50_000, value: 2_000 };
    await post(requests([late]));
    points.push(late);
    while ((await drainRollupBacklog(api.sql as never, '1m')) > 0) {}
    // The hour job's trailing window or backlog rebuilds the hours (the 1-minute drain backlogs only older ones).
    await rollupHours(api.sql as never, new Date(h0), new Date(h0 + 2 * 3_600_000));
    for (const { tier, step } of TIERS) {
      const r = await ask('agg_requests_total', tier, step, 'rate');
      expect(r.tier).toBe(tier);
      expectSame(keyed(r.start, step, r.values), oracle('rate', step, () => '').get(''), `${tier} late`);
    }
  });
});
