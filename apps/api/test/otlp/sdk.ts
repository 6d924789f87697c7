import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

/** A reader the test collects from by hand: `collect()` gives the SDK's own ResourceMetrics. */
class HandReader extends MetricReader {
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

/** Known values on a counter, an up-down counter, a gauge, an int counter, and an explicit and an exponential histogram. */
export async function sdkResourceMetrics() {
  const reader = new HandReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'otel-shop',
      'service.namespace': 'shop',
      'service.instance.id': 'pod-1',
      'deployment.environment.name': 'PRO',
      'host.name': 'node-7',
    }),
    views: [{ instrumentName: 'queue.wait', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    readers: [reader],
  });
  const meter = provider.getMeter('decode-test', '1.0.0');
  const requests = meter.createCounter('http.server.requests', { unit: '{request}' });
  requests.add(3, { 'http.route': '/cart', 'http.response.status_code': 200 });
  requests.add(2, { 'http.route': '/cart', 'http.response.status_code': 500 });
  meter.createCounter('bytes.sent', { unit: 'By', valueType: ValueType.INT }).add(1_024);
  meter.createUpDownCounter('jobs.active').add(-2, { queue: 'mail' });
  meter.createGauge('cpu.utilization', { unit: '1' }).record(0.25, { cpu: 0 });
  const latency = meter.createHistogram('http.server.duration', { unit: 'ms' });
  for (const v of [3, 7, 40, 120, 900]) latency.record(v, { 'http.route': '/cart' });
  const wait = meter.createHistogram('queue.wait', { unit: 's' });
  for (const v of [0, 0.5, 2, 3, 1_000]) wait.record(v);
  const { resourceMetrics, errors } = await reader.collect();
  await provider.shutdown();
  if (errors.length > 0) throw errors[0];
  return resourceMetrics;
}
