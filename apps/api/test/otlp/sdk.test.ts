import { setTimeout as sleep } from 'node:timers/promises';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../helpers';
import { histogramQuantile } from '../metrics/oracle';

const api = useTestApi();
let key: string;
let viewer: Awaited<ReturnType<typeof api.withKey>>['client'];
const started = Date.now() - 60_000;

beforeAll(async () => {
  key = (await api.withKey('maintainer')).key;
  viewer = (await api.withKey('viewer')).client;
});

type Exporter = 'proto' | 'json';

/** A MeterProvider exporting to Sextant only when flushed (the interval is an hour). */
function provider(
  service: string,
  exporter: Exporter,
  options: { delta?: boolean; views?: ViewOptions[] } = {},
) {
  const config = {
    url: `${api.baseUrl}/api/v1/otlp/v1/metrics`,
    headers: { Authorization: `Bearer ${key}` },
    compression: 'gzip' as never,
    temporalityPreference: options.delta
      ? AggregationTemporalityPreference.DELTA
      : AggregationTemporalityPreference.CUMULATIVE,
  };
  const push: PushMetricExporter =
    exporter === 'proto' ? new ProtoExporter(config) : new JsonExporter(config);
  return new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'PRO' }),
    views: options.views,
    readers: [new PeriodicExportingMetricReader({ exporter: push, exportIntervalMillis: 3_600_000 })],
  });
}

const selector = (name: string, service: string) => ({
  name,
  matchers: [{ label: 'service', op: '=' as const, value: service }],
});

/** Raw samples at one-second steps from the test's start until now: the non-null values of `fn`. */
async function query(name: string, service: string, fn: 'max' | 'sum' | 'p50' | 'p95') {
  const r = await viewer.metrics.query.query({
    selector: selector(name, service),
    from: new Date(started),
    to: new Date(Date.now() + 1_000),
    step: 1,
    fn,
  });
  expect(r.tier).toBe('raw');
  return r.values.filter((v): v is number => v !== null);
}

async function lastHistogram(name: string, service: string) {
  const [row] = await api.sql<{ bounds: number[]; counts: number[]; sum: number; count: number }[]>`
    select h.bounds, h.counts, h.sum, h.count from metric_histograms h join metric_series s on s.id = h.series_id
    where s.name = ${name} and s.labels->>'service' = ${service} order by h.ts desc limit 1`;
  return row!;
}

// The SDK's default explicit bounds (OTel spec), and two rounds of observations: p50/p95 come from the increase.
const SDK_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
const FIRST = [1, 2, 3, 4, 6, 8, 9];
const SECOND = [3, 7, 12, 30, 60, 80, 200];
const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Records `values` on the histogram, flushes, and waits into the next second so the next flush is another sample. */
async function flushRound(p: MeterProvider) {
  await p.forceFlush();
  await sleep(1_100);
}

describe.each(['proto', 'json'] as const)(
  'the OpenTelemetry JS SDK exporting OTLP/%s to Sextant',
  (exporter) => {
    const service = `otel-shop-${exporter}`;

    it('stores a counter, a gauge and a histogram that read back as sent', async () => {
      const p = provider(service, exporter);
      const meter = p.getMeter('shop');
      const orders = meter.createCounter('orders');
      const temperature = meter.createGauge('temperature', { unit: 'Cel' });
      const duration = meter.createHistogram('checkout.duration', { unit: 's' });
      for (const n of [1, 2, 3]) orders.add(n, { region: 'eu' });
      temperature.record(42);
      for (const v of FIRST) duration.record(v);
      await flushRound(p);
      for (const v of SECOND) duration.record(v);
      await p.forceFlush();
      await p.shutdown();

      expect(Math.max(...(await query('orders_total', service, 'max')))).toBe(6);
      expect(await query('temperature_celsius', service, 'max')).toContain(42);
      const h = await lastHistogram('checkout_duration_seconds', service);
      expect(h.count).toBe(FIRST.length + SECOND.length);
      expect(h.sum).toBe(sumOf(FIRST) + sumOf(SECOND));
      expect(h.bounds).toEqual([...SDK_BOUNDS, Number.POSITIVE_INFINITY]);
      // p50 over the second round's increase, as histogram_quantile answers it over the SDK's bounds.
      const increase = [...SDK_BOUNDS, Number.POSITIVE_INFINITY].map(
        (le) => SECOND.filter((v) => v <= le).length,
      );
      const want = histogramQuantile(0.5, [...SDK_BOUNDS, Number.POSITIVE_INFINITY], increase)!;
      const p50 = await query('checkout_duration_seconds', service, 'p50');
      expect(p50.length).toBeGreaterThan(0);
      expect(p50.at(-1)).toBeCloseTo(want, 9);
      // Resource attributes became Sextant's service and environment, and Prometheus' job.
      const [series] = await api.sql<{ labels: Record<string, string>; kind: string }[]>`
      select labels, kind from metric_series where name = 'orders_total' and labels->>'service' = ${service}`;
      expect(series).toEqual({
        labels: { service, environment: 'PRO', job: service, region: 'eu' },
        kind: 'counter',
      });
    });
  },
);

describe('OTLP temporality and exponential histograms from the SDK', () => {
  it('stores a DELTA counter as delta_counter, whose values add up to what was counted', async () => {
    const service = 'otel-delta';
    const p = provider(service, 'proto', { delta: true });
    const meter = p.getMeter('shop');
    const orders = meter.createCounter('orders');
    // A delta histogram has no sound mapping to Sextant's cumulative buckets: left out, the counter still stored.
    meter.createHistogram('checkout.duration', { unit: 's' }).record(1);
    for (const n of [1, 2, 3]) orders.add(n);
    await flushRound(p);
    orders.add(4);
    await p.forceFlush();
    await p.shutdown();
    expect(sumOf(await query('orders_total', service, 'sum'))).toBe(10);
    const [row] = await api.sql<{ kind: string }[]>`
      select kind from metric_series where name = 'orders_total' and labels->>'service' = ${service}`;
    expect(row!.kind).toBe('delta_counter');
    const [hist] = await api.sql<{ n: number }[]>`
      select count(*)::int as n from metric_series where labels->>'service' = ${service} and kind = 'histogram'`;
    expect(hist!.n).toBe(0);
  });

  it('flattens an exponential histogram view to classic buckets whose p95 falls in the right bucket', async () => {
    const service = 'otel-exp';
    const p = provider(service, 'proto', {
      views: [
        { instrumentName: 'checkout.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
      ],
    });
    const duration = p.getMeter('shop').createHistogram('checkout.duration', { unit: 's' });
    for (const v of FIRST) duration.record(v);
    await flushRound(p);
    for (const v of SECOND) duration.record(v);
    await p.forceFlush();
    await p.shutdown();
    const h = await lastHistogram('checkout_duration_seconds', service);
    expect(h.count).toBe(FIRST.length + SECOND.length);
    expect(h.sum).toBe(sumOf(FIRST) + sumOf(SECOND));
    expect(h.bounds.length).toBeLessThanOrEqual(100);
    // The true p95 of the second round is 200 (rank 6.65 of 7): the answer lies in the stored bucket holding 200.
    const upper = h.bounds.findIndex((le) => le >= 200);
    const [p95] = (await query('checkout_duration_seconds', service, 'p95')).slice(-1);
    expect(p95).toBeGreaterThan(h.bounds[upper - 1]!);
    expect(p95).toBeLessThanOrEqual(h.bounds[upper]!);
  });
});
