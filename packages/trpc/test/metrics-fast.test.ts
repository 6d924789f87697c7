import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchSchema, METRIC_LIMITS } from '../src/schemas/metrics';
import { parseBatchFast } from '../src/schemas/metrics-fast';

// One frozen clock for both validators, so the window edges can be tested to the millisecond.
const NOW = Date.UTC(2030, 0, 15, 12, 0, 0);
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

const ok = {
  name: 'http_requests_total',
  labels: { service: 'shop', env: 'PRO' },
  ts: NOW - 60_000,
  value: 1,
};
const hist = {
  name: 'latency_seconds',
  labels: { service: 'shop' },
  ts: NOW - 60_000,
  buckets: [
    { le: 0.1, count: 1 },
    { le: 1, count: 3 },
    { le: '+Inf', count: 4 },
  ],
  sum: 2.5,
  count: 4,
};
const p = (over: Record<string, unknown>) => ({ points: [{ ...ok, ...over }] });
const without = (key: keyof typeof ok) => ({
  points: [Object.fromEntries(Object.entries(ok).filter(([k]) => k !== key))],
});
const manyLabels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'x']));
const points = (n: number) => Array.from({ length: n }, (_, i) => ({ ...ok, value: i }));
const iso = (ms: number) => new Date(ms).toISOString();

// [case, body]; the expectation for each is whatever batchSchema says.
const cases: Array<[string, unknown]> = [
  // accepted
  ['minimal point, defaults filled', { points: [{ name: 'up', ts: NOW, value: 1 }] }],
  ['labels and counter kind', p({ kind: 'counter' })],
  ['gauge kind given', p({ kind: 'gauge' })],
  ['delta_counter kind (OTLP delta sums)', p({ kind: 'delta_counter' })],
  ['ISO timestamp with Z', p({ ts: iso(NOW - 1_000) })],
  ['ISO timestamp with offset', p({ ts: '2030-01-15T13:59:00+02:00' })],
  ['ts at the future edge', p({ ts: NOW + METRIC_LIMITS.maxFutureMs })],
  ['ts at the age edge', p({ ts: NOW - METRIC_LIMITS.maxAgeMs })],
  ['ISO ts at the future edge', p({ ts: iso(NOW + METRIC_LIMITS.maxFutureMs) })],
  ['32 labels', p({ labels: manyLabels(32) })],
  ['empty labels', p({ labels: {} })],
  [
    'longest names and value',
    p({ name: `a${':'.repeat(199)}`, labels: { [`_${'x'.repeat(99)}`]: 'v'.repeat(1024) } }),
  ],
  ['name with colon and leading underscore', p({ name: '_job:rate5m' })],
  ['label named constructor', p({ labels: { constructor: 'x' } })],
  ['label value with unicode', p({ labels: { a: 'x\ty', b: 'é🙂' } })],
  [
    'negative, zero and huge values',
    {
      points: [
        { ...ok, value: -3.5 },
        { ...ok, value: 0 },
        { ...ok, value: 1e308 },
      ],
    },
  ],
  ['unknown keys are dropped', { extra: 1, points: [{ ...ok, unit: 'ms', help: 'x' }] }],
  ['same name twice, then another', { points: [ok, ok, { ...ok, name: 'other' }] }],
  ['histograms only', { histograms: [hist] }],
  ['points and histograms', { points: [ok], histograms: [hist] }],
  ['exactly the sample limit', { points: points(METRIC_LIMITS.samplesPerBatch) }],
  // rejected: the batch
  ['null body', null],
  ['array body', [ok]],
  ['string body', 'points'],
  ['empty object', {}],
  ['empty points', { points: [] }],
  ['points null', { points: null }],
  ['points an object', { points: { 0: ok } }],
  ['histograms a string', { points: [ok], histograms: 'x' }],
  ['over the sample limit', { points: points(METRIC_LIMITS.samplesPerBatch), histograms: [hist] }],
  // rejected: a point
  ['point null', { points: [null] }],
  ['point an array', { points: [[ok]] }],
  ['name missing', without('name')],
  ['name a number', p({ name: 5 })],
  ['name starts with a digit', p({ name: '9bad' })],
  ['name with a dash', p({ name: 'a-b' })],
  ['name empty', p({ name: '' })],
  ['name too long', p({ name: 'a'.repeat(201) })],
  ['bad name after a good one', { points: [ok, { ...ok, name: '9bad' }] }],
  ['labels null', p({ labels: null })],
  ['labels an array', p({ labels: ['a'] })],
  ['labels a string', p({ labels: 'a=b' })],
  ['33 labels', p({ labels: manyLabels(33) })],
  ['label name starts with a digit', p({ labels: { '1a': 'x' } })],
  ['label name with a colon', p({ labels: { 'a:b': 'x' } })],
  ['label name empty', p({ labels: { '': 'x' } })],
  ['label name too long', p({ labels: { ['a'.repeat(101)]: 'x' } })],
  ['label value a number', p({ labels: { a: 1 } })],
  ['label value null', p({ labels: { a: null } })],
  ['label value too long', p({ labels: { a: 'v'.repeat(1025) } })],
  ['NUL in a label value', p({ labels: { a: 'x\u0000y' } })],
  ['lone surrogate in a label value', p({ labels: { a: 'x\ud800' } })],
  ['labels a Map', p({ labels: new Map([['a', 'b']]) })],
  ['ts missing', without('ts')],
  ['ts fractional', p({ ts: NOW - 0.5 })],
  ['ts negative', p({ ts: -1 })],
  ['ts NaN', p({ ts: Number.NaN })],
  ['ts Infinity', p({ ts: Number.POSITIVE_INFINITY })],
  ['ts a boolean', p({ ts: true })],
  ['ts a numeric string', p({ ts: String(NOW) })],
  ['ts a date only', p({ ts: '2030-01-15' })],
  ['ts ISO without offset', p({ ts: '2030-01-15T11:59:00' })],
  ['ts ISO nonsense date', p({ ts: '2030-02-30T00:00:00Z' })],
  ['ts just past the future edge', p({ ts: NOW + METRIC_LIMITS.maxFutureMs + 1 })],
  ['ts just past the age edge', p({ ts: NOW - METRIC_LIMITS.maxAgeMs - 1 })],
  ['ISO ts just too old', p({ ts: iso(NOW - METRIC_LIMITS.maxAgeMs - 1) })],
  ['value missing', without('value')],
  ['value a string', p({ value: '1' })],
  ['value "NaN"', p({ value: 'NaN' })],
  ['value NaN', p({ value: Number.NaN })],
  ['value Infinity', p({ value: Number.POSITIVE_INFINITY })],
  ['value -Infinity', p({ value: Number.NEGATIVE_INFINITY })],
  ['value null', p({ value: null })],
  ['kind histogram', p({ kind: 'histogram' })],
  ['kind capitalised', p({ kind: 'Gauge' })],
  ['kind null', p({ kind: null })],
  ['one bad point among good ones', { points: [...points(99), { ...ok, value: 'oops' }] }],
  // rejected: a histogram
  ['bounds not increasing', { histograms: [{ ...hist, buckets: [hist.buckets[1], hist.buckets[0]] }] }],
  [
    'counts decreasing',
    {
      histograms: [
        {
          ...hist,
          buckets: [
            { le: 0.1, count: 5 },
            { le: 1, count: 3 },
          ],
        },
      ],
    },
  ],
  ['negative bucket count', { histograms: [{ ...hist, buckets: [{ le: 1, count: -1 }] }] }],
  ['no buckets', { histograms: [{ ...hist, buckets: [] }] }],
  [
    'too many buckets',
    { histograms: [{ ...hist, buckets: Array.from({ length: 101 }, (_, i) => ({ le: i, count: i })) }] },
  ],
  ['le "+inf" lower case', { histograms: [{ ...hist, buckets: [{ le: '+inf', count: 1 }] }] }],
  ['histogram ts too old', { histograms: [{ ...hist, ts: NOW - METRIC_LIMITS.maxAgeMs - 1 }] }],
  ['good points, bad histogram', { points: [ok], histograms: [{ ...hist, sum: Number.NaN }] }],
];

describe('parseBatchFast', () => {
  it.each(cases)('agrees with batchSchema: %s', (_label, body) => {
    const zod = batchSchema.safeParse(body);
    expect(parseBatchFast(body)).toEqual(zod.success ? zod.data : null);
  });

  it('agrees on bodies straight from JSON.parse, as the route sees them', () => {
    for (const [label, body] of cases) {
      const parsed = JSON.parse(JSON.stringify(body) ?? 'null');
      const zod = batchSchema.safeParse(parsed);
      expect(parseBatchFast(parsed), label).toEqual(zod.success ? zod.data : null);
    }
  });

  it('the table covers both outcomes', () => {
    const accepted = cases.filter(([, body]) => batchSchema.safeParse(body).success).length;
    expect(accepted).toBe(21);
    expect(cases.length - accepted).toBeGreaterThan(50);
  });

  it('leaves a __proto__ label to zod (zod drops it rather than storing it)', () => {
    const body = JSON.parse(
      `{"points":[{"name":"up","ts":${NOW},"value":1,"labels":{"__proto__":"x","a":"b"}}]}`,
    );
    expect(parseBatchFast(body)).toBeNull();
    expect(batchSchema.parse(body).points[0]!.labels).toEqual({ a: 'b' });
  });

  it('uses the clock it is given for the window', () => {
    const body = p({ ts: NOW });
    expect(parseBatchFast(body, NOW)).not.toBeNull();
    expect(parseBatchFast(body, NOW + METRIC_LIMITS.maxAgeMs + 1)).toBeNull();
    expect(parseBatchFast(body, NOW - METRIC_LIMITS.maxFutureMs - 1)).toBeNull();
  });
});
