import { METRIC_LIMITS } from '@sextant/trpc';
import { describe, expect, it } from 'vitest';
import { decodeOtlp } from '../../src/ingest/otlp/decode';
import { flattenExponential } from '../../src/ingest/otlp/exponential';
import { labelName, metricName } from '../../src/ingest/otlp/names';
import { IngestRefusal } from '../../src/routes/ingest-edge';
import { exportBody, gaugePoint, nanos } from './otlp-json';

const gauge = { monotonic: false, gauge: true };
const counter = { monotonic: true, gauge: false };
const other = { monotonic: false, gauge: false };

describe('OTLP names, as Prometheus writes them', () => {
  it.each([
    ['http.server.request.duration', 's', other, 'http_server_request_duration_seconds'],
    ['requests', '', counter, 'requests_total'],
    ['requests_total', '1', counter, 'requests_total'],
    ['errors.total.count', '', counter, 'errors_count_total'],
    ['cpu.utilization', '1', gauge, 'cpu_utilization_ratio'],
    ['cpu.utilization', '1', other, 'cpu_utilization'],
    ['throughput', 'By/s', gauge, 'throughput_bytes_per_second'],
    ['active', '{request}', gauge, 'active'],
    ['rate', '{packet}/s', gauge, 'rate_per_second'],
    ['bytes.sent', 'By', counter, 'bytes_sent_total'],
    ['memory', 'MiBy', gauge, 'memory_mebibytes'],
    ['temp', 'Cel', gauge, 'temp_celsius'],
    ['disk', 'foo.bar', gauge, 'disk_foo_bar'],
    ['2xx.responses', '', gauge, '_2xx_responses'],
    ['ns:job.rate', '', gauge, 'ns:job_rate'],
    ['größe', '', gauge, 'gr_e'],
  ])('%s [%s] → %s', (name, unit, shape, want) => {
    expect(metricName(name, unit, shape)).toBe(want);
  });

  it.each([
    ['http.route', 'http_route'],
    ['a-b c', 'a_b_c'],
    ['2xx', 'key_2xx'],
    ['_private', 'key_private'],
    ['__reserved', '__reserved'],
    ['é', 'key_'],
  ])('attribute %s → label %s', (key, want) => {
    expect(labelName(key)).toBe(want);
  });
});

const now = Date.now();
const decode = (body: unknown) => decodeOtlp(body, 'application/json', now);
const sum = (temporality: number, monotonic: boolean) => ({
  name: 'jobs',
  sum: { aggregationTemporality: temporality, isMonotonic: monotonic, dataPoints: [gaugePoint(now, 3)] },
});

describe('OTLP mapping', () => {
  it('maps sums by temporality and monotonicity, and leaves out a sum without temporality', () => {
    const { batch, skipped, notes } = decode(
      exportBody({}, [
        sum(2, true),
        sum(2, false),
        { ...sum(1, true), name: 'd' },
        { ...sum(0, true), name: 'u' },
      ]),
    );
    expect(batch.points.map((p) => [p.name, p.kind])).toEqual([
      ['jobs_total', 'counter'],
      ['jobs', 'gauge'],
      ['d_total', 'delta_counter'],
    ]);
    expect(skipped).toBe(1);
    expect(notes).toEqual(['1 data point of u_total: a sum without aggregation temporality.']);
  });

  it('takes service, environment, job and instance from the resource, over attributes of the same name', () => {
    const body = exportBody(
      {
        'service.name': 'cart',
        'service.namespace': 'shop',
        'service.instance.id': 'pod-2',
        'deployment.environment': 'PRE',
        'k8s.pod.name': 'cart-7',
      },
      [
        {
          name: 'up',
          gauge: { dataPoints: [gaugePoint(now, 1, { service: 'spoofed', 'a.b': 'x', a_b: 'y' })] },
        },
      ],
    );
    const { points } = decode(body).batch;
    expect(points[0]!.labels).toEqual({
      service: 'cart',
      job: 'shop/cart',
      instance: 'pod-2',
      environment: 'PRE',
      // Two keys that sanitise alike: values joined with ";" in key order, as Prometheus does.
      a_b: 'x;y',
    });
    expect(points[1]).toMatchObject({
      name: 'target_info',
      labels: { service: 'cart', job: 'shop/cart', deployment_environment: 'PRE', k8s_pod_name: 'cart-7' },
      value: 1,
    });
    // deployment.environment.name wins over the older deployment.environment.
    const named = decode(
      exportBody({ 'deployment.environment': 'PRE', 'deployment.environment.name': 'PRO' }, [
        { name: 'up', gauge: { dataPoints: [gaugePoint(now, 1)] } },
      ]),
    );
    expect(named.batch.points[0]!.labels).toEqual({ environment: 'PRO' });
  });

  it('maps a summary to {quantile} gauges and _sum/_count counters', () => {
    const { points } = decode(
      exportBody({}, [
        {
          name: 'rpc.duration',
          unit: 'ms',
          summary: {
            dataPoints: [
              {
                timeUnixNano: nanos(now),
                count: '4',
                sum: 10,
                quantileValues: [
                  { quantile: 0.5, value: 2 },
                  { quantile: 0.99, value: 5 },
                ],
              },
            ],
          },
        },
      ]),
    ).batch;
    expect(points.map((p) => [p.name, p.labels, p.value, p.kind])).toEqual([
      ['rpc_duration_milliseconds', { quantile: '0.5' }, 2, 'gauge'],
      ['rpc_duration_milliseconds', { quantile: '0.99' }, 5, 'gauge'],
      ['rpc_duration_milliseconds_sum', {}, 10, 'counter'],
      ['rpc_duration_milliseconds_count', {}, 4, 'counter'],
    ]);
  });

  it('makes explicit histogram buckets cumulative with +Inf = count, and a missing sum 0', () => {
    const { histograms } = decode(
      exportBody({}, [
        {
          name: 'latency',
          unit: 's',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [
              {
                timeUnixNano: nanos(now),
                count: '6',
                explicitBounds: [0.1, 1],
                bucketCounts: ['1', '2', '3'],
              },
            ],
          },
        },
      ]),
    ).batch;
    expect(histograms).toEqual([
      {
        name: 'latency_seconds',
        labels: {},
        ts: now,
        buckets: [
          { le: 0.1, count: 1 },
          { le: 1, count: 3 },
          { le: '+Inf', count: 6 },
        ],
        sum: 0,
        count: 6,
      },
    ]);
  });

  it('thins an explicit histogram over the bucket limit by dropping every other bound, keeping the counts', () => {
    const bounds = Array.from({ length: 150 }, (_, i) => i + 1);
    const { histograms } = decode(
      exportBody({}, [
        {
          name: 'wide',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [
              {
                timeUnixNano: nanos(now),
                count: '151',
                sum: 1,
                explicitBounds: bounds,
                bucketCounts: [...bounds, 0].map(() => '1'),
              },
            ],
          },
        },
      ]),
    ).batch;
    const { buckets } = histograms[0]!;
    expect(buckets.length).toBeLessThanOrEqual(METRIC_LIMITS.histogramBuckets);
    expect(buckets.slice(0, 2)).toEqual([
      { le: 2, count: 2 },
      { le: 4, count: 4 },
    ]);
    expect(buckets.at(-2)).toEqual({ le: 150, count: 150 });
    expect(buckets.at(-1)).toEqual({ le: '+Inf', count: 151 });
  });

  it('refuses an export over samplesPerBatch, or one the native rules refuse, with a 400 naming the problem', () => {
    const many = Array.from({ length: METRIC_LIMITS.samplesPerBatch + 1 }, (_, i) => gaugePoint(now, i));
    const refusal = (body: unknown) => {
      try {
        decode(body);
      } catch (err) {
        return err as IngestRefusal;
      }
      throw new Error('accepted');
    };
    const big = refusal(exportBody({}, [{ name: 'x', gauge: { dataPoints: many } }]));
    expect(big).toBeInstanceOf(IngestRefusal);
    expect(big.status).toBe(400);
    expect(big.message).toMatch(/at most 50000 per request \(samplesPerBatch\)/);
    const long = refusal(
      exportBody({}, [
        { name: 'x', gauge: { dataPoints: [gaugePoint(now, 1, { path: 'p'.repeat(1_025) })] } },
      ]),
    );
    expect(long.status).toBe(400);
    expect(long.message).toMatch(
      /^The export was rejected \(1 problem\); nothing was stored\. x: labels\.path/,
    );
  });
});

describe('exponential histograms flattened to classic buckets', () => {
  const flat = (p: Partial<Parameters<typeof flattenExponential>[0]>, max = 100) =>
    flattenExponential(
      {
        scale: 0,
        count: 0,
        zeroCount: 0,
        zeroThreshold: 0,
        positive: { offset: 0, counts: [] },
        negative: { offset: 0, counts: [] },
        ...p,
      },
      max,
    );

  it('zero offset: (1,2], (2,4], … with a lower edge at 1', () => {
    expect(flat({ count: 10, positive: { offset: 0, counts: [4, 3, 2, 1] } })).toEqual({
      scale: 0,
      buckets: [
        { le: 1, count: 0 },
        { le: 2, count: 4 },
        { le: 4, count: 7 },
        { le: 8, count: 9 },
        { le: 16, count: 10 },
        { le: '+Inf', count: 10 },
      ],
    });
  });

  it('negative offset, with an empty bucket inside kept and empty ones at the ends trimmed', () => {
    expect(flat({ count: 3, positive: { offset: -3, counts: [0, 1, 0, 2, 0] } })).toEqual({
      scale: 0,
      buckets: [
        { le: 0.25, count: 0 },
        { le: 0.5, count: 1 },
        { le: 1, count: 1 },
        { le: 2, count: 3 },
        { le: '+Inf', count: 3 },
      ],
    });
  });

  it('scale above 8 merges down to 8, flooring negative indexes (-2 and -1 merge; -3 and 0 stay alone)', () => {
    const r = flat({ scale: 9, count: 4, positive: { offset: -3, counts: [1, 1, 1, 1] } });
    const bound = (i: number) => 2 ** (i / 256);
    expect(r).toEqual({
      scale: 8,
      buckets: [
        { le: bound(-2), count: 0 },
        { le: bound(-1), count: 1 },
        { le: 1, count: 3 },
        { le: bound(1), count: 4 },
        { le: '+Inf', count: 4 },
      ],
    });
  });

  it('negative buckets and the zero bucket, in ascending order', () => {
    expect(
      flat({
        count: 6,
        zeroCount: 2,
        zeroThreshold: 0.001,
        negative: { offset: 0, counts: [1] },
        positive: { offset: 0, counts: [3] },
      }),
    ).toEqual({
      scale: 0,
      buckets: [
        { le: -2, count: 0 },
        { le: -1, count: 1 },
        { le: 0.001, count: 3 },
        { le: 1, count: 3 },
        { le: 2, count: 6 },
        { le: '+Inf', count: 6 },
      ],
    });
  });

  it('merges scales down until the buckets fit the limit, keeping every count', () => {
    const r = flat({ scale: 3, count: 200, positive: { offset: 8, counts: new Array(200).fill(1) } });
    if (!('buckets' in r)) throw new Error(r.refused);
    // 200 buckets need two halvings to fit 100 with their lower edge and +Inf: scale 1, 50 buckets of 4.
    expect(r.scale).toBe(1);
    expect(r.buckets).toHaveLength(52);
    expect(r.buckets[0]).toEqual({ le: 2, count: 0 });
    expect(r.buckets[1]).toEqual({ le: 2 ** 1.5, count: 4 });
    expect(r.buckets.at(-2)).toEqual({ le: 2 ** 26, count: 200 });
    expect(flat({ count: 8, positive: { offset: 0, counts: [1, 1, 1, 1, 1, 1, 1, 1] } }, 5)).toMatchObject({
      scale: -2,
    });
  });

  it('refuses scales below -4 and buckets adding up to more than the count', () => {
    expect(flat({ scale: -5, count: 1, positive: { offset: 0, counts: [1] } })).toEqual({
      refused: 'exponential histogram scale -5 is below -4',
    });
    expect(flat({ count: 1, positive: { offset: 0, counts: [2] } })).toEqual({
      refused: 'exponential histogram buckets add up to more than its count',
    });
  });
});

describe('OTLP timestamps', () => {
  it('turns nanoseconds into the exact millisecond, also where one double cannot hold them', () => {
    // As a double, 1,796,036,301,112,000,000 ns is off by up to 256 ns: dividing it would give …111.99… ms.
    for (let ms = now - 5_000; ms < now; ms += 37) {
      const { points } = decode(
        exportBody({}, [{ name: 'x', gauge: { dataPoints: [gaugePoint(ms, 1)] } }]),
      ).batch;
      expect(points[0]!.ts).toBe(ms);
    }
  });
});
