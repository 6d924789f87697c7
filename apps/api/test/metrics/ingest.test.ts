import { dropPartitionsBefore, ensurePartitions } from '@sextant/db';
import { rollupHours, rollupMinutes, SERIES_CACHE_MS } from '@sextant/trpc';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApi } from '../helpers';

// The test builds a 51 MB body in the server's own process; on a busy machine that stall must not trip load shedding.
const api = useTestApi({ API_MAX_EVENT_LOOP_DELAY_MS: '0' });

let key: string;

beforeAll(async () => {
  key = (await api.withKey('maintainer')).key;
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${api.baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}

const SERIES = 4;
const PER_SERIES = 25_000;
const STEP_MS = 5_000;
// Whole minutes back from a minute boundary, so every tier sees exactly the same samples.
const end = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const start = end - PER_SERIES * STEP_MS;
const ts = (i: number) => start + i * STEP_MS;

describe('metrics ingest and query', () => {
  it('stores 100k points and histograms; query is exact from raw and from each rollup tier', async () => {
    let expectedSum = 0;
    for (let s = 0; s < SERIES; s++) {
      const points = Array.from({ length: PER_SERIES }, (_, i) => {
        const value = (i % 100) + s;
        expectedSum += value;
        return {
          name: 'queue_depth',
          labels: { service: 'shop', environment: 'PRO', instance: `i${s}` },
          ts: ts(i),
          value,
        };
      });
      for (let i = 0; i < points.length; i += 12_500) {
        const res = await post({ points: points.slice(i, i + 12_500) });
        expect(res.status).toBe(202);
      }
    }
    // A cumulative histogram: every minute 10, 20, 30, 40 more observations in le 0.1, 0.5, 1, +Inf.
    const minutes = (end - start) / 60_000;
    const histograms = Array.from({ length: minutes }, (_, m) => ({
      name: 'http_request_duration_seconds',
      labels: { service: 'shop', environment: 'PRO' },
      ts: start + m * 60_000 + 30_000,
      buckets: [
        { le: 0.1, count: 10 * (m + 1) },
        { le: 0.5, count: 30 * (m + 1) },
        { le: 1, count: 60 * (m + 1) },
        { le: '+Inf', count: 100 * (m + 1) },
      ],
      sum: 50 * (m + 1),
      count: 100 * (m + 1),
    }));
    expect((await post({ histograms })).status).toBe(202);

    await rollupMinutes(api.sql as never, new Date(start), new Date(end));
    await rollupHours(api.sql as never, new Date(start), new Date(end));

    const { client } = await api.withKey('viewer');
    const service = [{ label: 'service', op: '=' as const, value: 'shop' }];
    // A matcher on a label the service tier does not keep: the per-series tiers answer.
    const selector = {
      name: 'queue_depth',
      matchers: [...service, { label: 'instance', op: '=~' as const, value: 'i.*' }],
    };
    const window = { from: new Date(start), to: new Date(end) };
    const total = async (step: number, fn: 'sum' | 'min' | 'max', matchers = selector.matchers) => {
      const r = await client.metrics.query.query({
        selector: { ...selector, matchers },
        ...window,
        step,
        fn,
      });
      return {
        tier: r.tier,
        series: r.series,
        values: r.values.filter((v): v is number => v !== null),
      };
    };
    for (const [step, tier, matchers] of [
      [30, 'raw', selector.matchers],
      [60, '1m', selector.matchers],
      [3600, '1h', selector.matchers],
      [60, 'service-1m', service],
      [3600, 'service-1h', service],
    ] as const) {
      const sums = await total(step, 'sum', matchers);
      expect(sums.tier).toBe(tier);
      expect(sums.series).toBe(SERIES);
      expect(sums.values.reduce((a, b) => a + b, 0)).toBe(expectedSum);
      expect(Math.min(...(await total(step, 'min', matchers)).values)).toBe(0);
      expect(Math.max(...(await total(step, 'max', matchers)).values)).toBe(99 + SERIES - 1);
    }

    // Rollups equal the raw aggregation.
    const [raw] = await api.sql`select count(*)::float8 as n, sum(value) as s from metric_points`;
    const [m1] =
      await api.sql`select sum(count)::float8 as n, sum(sum) as s from metric_rollups_1m where bounds is null`;
    const [h1] =
      await api.sql`select sum(count)::float8 as n, sum(sum) as s from metric_rollups_1h where bounds is null`;
    expect(raw).toEqual({ n: SERIES * PER_SERIES, s: expectedSum });
    expect(m1).toEqual(raw);
    expect(h1).toEqual(raw);

    // Quantiles the way histogram_quantile computes them: p50 falls in (0.5, 1] at 0.5 + 0.5·20/30.
    const hSelector = {
      name: 'http_request_duration_seconds',
      matchers: [{ label: 'service', op: '=' as const, value: 'shop' }],
    };
    for (const step of [60, 3600, 120]) {
      for (const [fn, want] of [
        ['p50', 0.5 + (0.5 * 20) / 30],
        ['p95', 1],
        ['p99', 1],
      ] as const) {
        const r = await client.metrics.query.query({ selector: hSelector, ...window, step, fn });
        const values = r.values.filter((v): v is number => v !== null);
        expect(values.length, `${fn} step ${step}`).toBeGreaterThan(0);
        for (const v of values) expect(v).toBeCloseTo(want, 10);
      }
    }

    // Dropping raw partitions leaves the rollups, and their answers, intact.
    const dropped = await dropPartitionsBefore(api.sql as never, 'metric_points', new Date(end + 86_400_000));
    expect(dropped.length).toBeGreaterThan(0);
    expect((await total(30, 'sum')).values).toEqual([]);
    expect((await total(3600, 'sum')).values.reduce((a, b) => a + b, 0)).toBe(expectedSum);
    await ensurePartitions(
      api.sql as never,
      new Date(Date.now() - 3 * 86_400_000),
      new Date(Date.now() + 3 * 86_400_000),
    );
  }, 120_000);

  it('rate is Σ increase / step: a restart counts its new value, and a step finer than the scrape interval spikes', async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
    // One request per second, scraped every 30 s, with a restart (reset to 0) halfway.
    const points = Array.from({ length: 40 }, (_, i) => ({
      name: 'http_requests_total',
      labels: { service: 'rate-test', environment: 'PRO', status: i % 2 ? '500' : '200' },
      ts: t0 + Math.floor(i / 2) * 30_000,
      value: (Math.floor(i / 2) % 10) * 30 + 30,
      kind: 'counter' as const,
    }));
    expect((await post({ points })).status).toBe(202);
    const { client } = await api.withKey('viewer');
    const selector = {
      name: 'http_requests_total',
      matchers: [{ label: 'service', op: '=' as const, value: 'rate-test' }],
    };
    const window = { from: new Date(t0), to: new Date(t0 + 10 * 60_000) };
    // Two series, 30 more requests each per 30 s; the series' first samples have no increase.
    const rate = await client.metrics.query.query({ selector, ...window, step: 30, fn: 'rate' });
    expect(rate.values).toEqual([0, ...new Array(19).fill(2)]);
    const fine = await client.metrics.query.query({ selector, ...window, step: 10, fn: 'rate' });
    expect(fine.values.filter((v) => v !== null)).toEqual([0, ...new Array(19).fill(6)]);
    const ratio = await client.metrics.query.query({ selector, ...window, step: 30, fn: 'error_ratio' });
    expect(ratio.values).toEqual([null, ...new Array(19).fill(0.5)]);
  });

  it('one series at a tier width: aligned values with leading and inner gaps, the same as computed', async () => {
    const h0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    // Two samples a minute for 10 minutes; `gappy` has nothing in minute 4.
    const samples = (instance: string) =>
      Array.from({ length: 20 }, (_, i) => ({
        name: 'tier_width',
        labels: { service: 'tier-test', instance },
        ts: h0 + Math.floor(i / 2) * 60_000 + (i % 2) * 20_000,
        value: Math.floor(i / 2) * 10 + (i % 2) * 3 + 0.25,
      })).filter((p) => instance !== 'gappy' || Math.floor((p.ts - h0) / 60_000) !== 4);
    expect((await post({ points: [...samples('whole'), ...samples('gappy')] })).status).toBe(202);
    await rollupMinutes(api.sql as never, new Date(h0), new Date(h0 + 3_600_000));
    await rollupHours(api.sql as never, new Date(h0), new Date(h0 + 3_600_000));

    const { client } = await api.withKey('viewer');
    const query = (instance: string, fn: 'avg' | 'sum' | 'min' | 'max', step: number, from: number) =>
      client.metrics.query.query({
        selector: {
          name: 'tier_width',
          matchers: [{ label: 'instance', op: '=' as const, value: instance }],
        },
        from: new Date(from),
        to: new Date(h0 + 12 * 60_000),
        step,
        fn,
      });
    const minute = (m: number) => [m * 10 + 0.25, m * 10 + 3.25];
    const expected = {
      avg: (m: number) => m * 10 + 1.75,
      sum: (m: number) => minute(m)[0]! + minute(m)[1]!,
      min: (m: number) => minute(m)[0]!,
      max: (m: number) => minute(m)[1]!,
    };
    for (const fn of ['avg', 'sum', 'min', 'max'] as const) {
      // From two minutes early: two empty buckets, ten with data, two empty after.
      const whole = await query('whole', fn, 60, h0 - 2 * 60_000);
      expect(whole.tier).toBe('1m');
      expect(whole.start).toBe(h0 - 2 * 60_000);
      expect(whole.values, fn).toEqual([
        null,
        null,
        ...Array.from({ length: 10 }, (_, m) => expected[fn](m)),
        null,
        null,
      ]);
      const gappy = await query('gappy', fn, 60, h0);
      expect(gappy.values, fn).toEqual([
        ...Array.from({ length: 10 }, (_, m) => (m === 4 ? null : expected[fn](m))),
        null,
        null,
      ]);
    }
    const hour = await query('whole', 'sum', 3600, h0);
    expect(hour.tier).toBe('1h');
    expect(hour.values).toEqual([
      Array.from({ length: 10 }, (_, m) => expected.sum(m)).reduce((a, b) => a + b),
    ]);
  });

  it('answers aligned buckets as one flat array, and sees a new series once the series cache expires', async () => {
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const point = (instance: string) => ({
      name: 'late_joiner',
      labels: { service: 'cache-test', instance },
      ts: t0 + 30_000,
      value: 1,
    });
    expect((await post({ points: [point('a')] })).status).toBe(202);
    const { client } = await api.withKey('viewer');
    const input = {
      selector: { name: 'late_joiner', matchers: [{ label: 'instance', op: '=~' as const, value: '.+' }] },
      from: new Date(t0 + 1_000),
      to: new Date(t0 + 4 * 60_000),
      step: 30,
      fn: 'sum' as const,
    };
    // Bucket 0 starts at the aligned t0, not at `from`; the sample at t0 + 30 s is bucket 1.
    expect(await client.metrics.query.query(input)).toEqual({
      tier: 'raw',
      step: 30,
      series: 1,
      start: t0,
      values: [null, 1, null, null, null, null, null, null],
    });
    expect((await post({ points: [point('b')] })).status).toBe(202);
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + SERIES_CACHE_MS);
    try {
      const after = await client.metrics.query.query(input);
      expect([after.series, after.values[1]]).toEqual([2, 2]);
    } finally {
      clock.mockRestore();
    }
  });

  it('one series per (name, labels) whatever the label order; look-alike label sets stay apart', async () => {
    const t = Date.now() - 60_000;
    const labelSets = [
      { a: 'x', b: 'y' },
      { b: 'y', a: 'x' }, // same series as the first
      { a: 'x b 1:y' }, // one value holding the first set's keys and values
      { a: 'x', b: 'y', c: '' },
      { ab: 'x', b: 'y' },
    ];
    const points = labelSets.flatMap((labels, i) => [
      { name: 'identity_test', labels, ts: t, value: i },
      { name: 'identity_test', labels, ts: t + 1_000, value: i },
    ]);
    expect((await post({ points })).status).toBe(202);
    const rows = await api.sql<{ labels: Record<string, string>; n: number }[]>`
      select s.labels, count(*)::int as n from metric_points p join metric_series s on s.id = p.series_id
      where s.name = 'identity_test' group by s.id, s.labels order by n desc, s.labels::text`;
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ labels: { a: 'x', b: 'y' }, n: 4 });
    expect(rows.slice(1).map((r) => r.n)).toEqual([2, 2, 2]);
  });

  it('aggregates over more matched series than it may answer, and refuses a `by` answering too many', async () => {
    const t = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    await post({
      points: Array.from({ length: 600 }, (_, i) => ({
        name: 'wide',
        labels: { shard: String(i) },
        ts: t,
        value: 1,
      })),
    });
    const { client } = await api.withKey('viewer');
    const input = {
      selector: { name: 'wide', matchers: [] },
      from: new Date(t),
      to: new Date(t + 60_000),
      step: 30,
    };
    expect(await client.metrics.query.query({ ...input, fn: 'sum' })).toMatchObject({
      series: 600,
      values: [600, null],
    });
    const err = await client.metrics.query
      .query({ ...input, fn: 'sum', by: ['shard'] })
      .catch((e: { message: string; data: { code: string } }) => e);
    expect((err as { data: { code: string } }).data.code).toBe('BAD_REQUEST');
    expect((err as unknown as Error).message).toMatch(/would return 600 series \(the limit is 500\)/);
  });
});

describe('bad metric input', () => {
  const ok = { name: 'good_metric', labels: { a: 'b' }, ts: Date.now(), value: 1 };
  const count = async () =>
    Number(
      (
        await api.sql`select count(*) from metric_points p join metric_series s on s.id = p.series_id where s.name like 'bad_%'`
      )[0]!.count,
    );

  it('gets a specific 4xx for each kind of problem and stores nothing', async () => {
    const cases: Array<[string, string | object, number, RegExp]> = [
      ['wrong type', { points: [{ ...ok, name: 'bad_type', value: 'high' }] }, 400, /points\.0\.value/],
      ['NaN literal', '{"points":[{"name":"bad_nan","ts":1,"value":NaN}]}', 400, /json/i],
      ['NaN string', { points: [{ ...ok, name: 'bad_nan', value: 'NaN' }] }, 400, /value/],
      ['far future', { points: [{ ...ok, name: 'bad_future', ts: Date.now() + 86_400_000 }] }, 400, /future/],
      [
        'too many labels',
        {
          points: [
            {
              ...ok,
              name: 'bad_labels',
              labels: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'x'])),
            },
          ],
        },
        400,
        /At most 32 labels/,
      ],
      ['bad name', { points: [{ ...ok, name: '9bad' }] }, 400, /Metric names/],
      ['NUL in a label', { points: [{ ...ok, name: 'bad_nul', labels: { a: 'x\u0000y' } }] }, 400, /NUL/],
      ['empty', { points: [] }, 400, /empty/],
    ];
    for (const [label, body, status, message] of cases) {
      const res = await post(body);
      expect(res.status, label).toBe(status);
      expect(JSON.stringify(await res.json()), label).toMatch(message);
    }
    const huge = await post(`{"points":[${'{"name":"bad_big","ts":1,"value":1},'.repeat(1_500_000)}]}`);
    expect(huge.status).toBe(413);
    expect(await count()).toBe(0);
  });

  it('a mixed batch is all-or-nothing', async () => {
    const good = Array.from({ length: 99 }, (_, i) => ({ ...ok, name: 'bad_mixed', value: i }));
    const res = await post({ points: [...good, { ...ok, name: 'bad_mixed', value: 'oops' }] });
    expect(res.status).toBe(400);
    expect(await count()).toBe(0);
  });

  it('accepts gzip, and refuses a missing or read-only key', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(JSON.stringify({ points: [{ ...ok, name: 'zipped' }] }));
    const res = await post(body, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(202);
    expect((await post({ points: [ok] }, { authorization: '' })).status).toBe(401);
    const viewer = await api.withKey('viewer');
    expect((await post({ points: [ok] }, { authorization: `Bearer ${viewer.key}` })).status).toBe(403);
    const corrupt = await post('not gzip at all', { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
  });

  it('a retry with the same Idempotency-Key is answered from the first attempt and stores nothing', async () => {
    const batch = {
      points: [
        { ...ok, name: 'bad_idem', value: 7 },
        { ...ok, name: 'bad_idem', value: 8 },
      ],
    };
    const first = await post(batch, { 'idempotency-key': 'deploy-42/attempt' });
    expect(first.status).toBe(202);
    const again = await post(batch, { 'idempotency-key': 'deploy-42/attempt' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: { points: 2, histograms: 0 }, replayed: true });
    // Concurrent retries: one writes, the others replay.
    const racing = await Promise.all(
      [1, 2, 3].map(() =>
        post({ points: [{ ...ok, name: 'bad_idem', value: 1 }] }, { 'idempotency-key': 'race' }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect(await count()).toBe(3);
    const bad = await post(batch, { 'idempotency-key': 'has space' });
    expect(bad.status).toBe(400);
    expect(await count()).toBe(3);
    await api.sql`delete from metric_points where series_id in (select id from metric_series where name = 'bad_idem')`;
  });
});
