import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeOtlp } from '../../src/ingest/otlp/decode';
import { sdkResourceMetrics } from './sdk';

const base = { service: 'otel-shop', job: 'shop/otel-shop', environment: 'PRO', instance: 'pod-1' };

describe('OTLP decoding', () => {
  it('reads what the SDK serialisers write, protobuf and JSON alike, into the values recorded', async () => {
    const rm = await sdkResourceMetrics();
    const proto = ProtobufMetricsSerializer.serializeRequest(rm)!;
    const json = JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm)!));
    const fromProto = decodeOtlp(Buffer.from(proto), 'application/x-protobuf');
    const fromJson = decodeOtlp(json, 'application/json; charset=utf-8');
    // Field numbers (protobuf) and field names (JSON) come from one descriptor: they must agree with each other...
    expect(fromJson).toEqual(fromProto);
    // ...and with what was recorded.
    const { points, histograms } = fromProto.batch;
    const ts = points[0]!.ts;
    expect(Math.abs(ts - Date.now())).toBeLessThan(60_000);
    expect(points.map(({ ts: t, ...rest }) => (t === ts ? rest : { ts: t }))).toEqual([
      {
        name: 'http_server_requests_total',
        labels: { http_response_status_code: '200', http_route: '/cart', ...base },
        value: 3,
        kind: 'counter',
      },
      {
        name: 'http_server_requests_total',
        labels: { http_response_status_code: '500', http_route: '/cart', ...base },
        value: 2,
        kind: 'counter',
      },
      // The unit's word is already in the name, so it is not appended again (as Prometheus does).
      { name: 'bytes_sent_total', labels: base, value: 1024, kind: 'counter' },
      { name: 'jobs_active', labels: { queue: 'mail', ...base }, value: -2, kind: 'gauge' },
      { name: 'cpu_utilization_ratio', labels: { cpu: '0', ...base }, value: 0.25, kind: 'gauge' },
      {
        name: 'target_info',
        labels: { ...base, deployment_environment_name: 'PRO', host_name: 'node-7' },
        value: 1,
        kind: 'gauge',
      },
    ]);
    const explicit = histograms.find((h) => h.name === 'http_server_duration_milliseconds')!;
    expect(explicit).toMatchObject({ labels: { http_route: '/cart', ...base }, sum: 1070, count: 5 });
    expect(explicit.buckets.slice(0, 5)).toEqual([
      { le: 0, count: 0 },
      { le: 5, count: 1 },
      { le: 10, count: 2 },
      { le: 25, count: 2 },
      { le: 50, count: 3 },
    ]);
    expect(explicit.buckets.at(-1)).toEqual({ le: '+Inf', count: 5 });
    // The exponential one: 0 in the zero bucket, 1,000 in the last bucket below +Inf; all five counted.
    const exp = histograms.find((h) => h.name === 'queue_wait_seconds')!;
    expect(exp).toMatchObject({ labels: base, sum: 1005.5, count: 5 });
    expect(exp.buckets.length).toBeLessThanOrEqual(100);
    expect(exp.buckets[0]).toEqual({ le: 0, count: 1 });
    expect(exp.buckets.at(-2)).toEqual({ le: 1024, count: 5 });
    expect(exp.buckets.at(-1)).toEqual({ le: '+Inf', count: 5 });
    expect(fromProto.skipped).toBe(0);
  });
});
