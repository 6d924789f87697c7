import { gzipSync } from 'node:zlib';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportResponse, RpcStatus } from '../../src/ingest/otlp/descriptor';
import { useTestApi } from '../helpers';
import { exportBody, gaugePoint, nanos } from './otlp-json';
import { sdkResourceMetrics } from './sdk';

// A small body limit, so a body that were read would be a 413, and a series limit a test batch can pass.
const api = useTestApi({ METRICS_BODY_LIMIT_BYTES: '32768', METRICS_MAX_SERIES_PER_METRIC: '5' });
const URL_PATH = '/api/v1/otlp/v1/metrics';
let key: string;
let viewerKey: string;

beforeAll(async () => {
  key = (await api.withKey('maintainer')).key;
  viewerKey = (await api.withKey('viewer')).key;
});

function post(body: BodyInit, contentType: string, headers: Record<string, string> = {}) {
  return fetch(`${api.baseUrl}${URL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${key}`, ...headers },
    body,
  });
}
const postJson = (body: unknown) => post(JSON.stringify(body), 'application/json');

async function counts() {
  const [row] = await api.sql<{ series: number; points: number; audits: number }[]>`
    select (select count(*)::int from metric_series) as series, (select count(*)::int from metric_points) as points,
      (select count(*)::int from audit_log where action = 'metrics.ingest') as audits`;
  return row!;
}

describe('POST /api/v1/otlp/v1/metrics', () => {
  it('checks the key before reading the body: 401 for a wrong key whatever the body, 403 for a viewer key', async () => {
    const big = new Uint8Array(100_000);
    const bad = { authorization: 'Bearer sxt_not-a-real-key-not-a-real-key-not-a-real-k' };
    expect((await post(big, 'application/x-protobuf', bad)).status).toBe(401);
    const corrupt = await post('not gzip at all', 'application/x-protobuf', {
      ...bad,
      'content-encoding': 'gzip',
    });
    expect(corrupt.status).toBe(401);
    expect((await post(big, 'application/x-protobuf', { authorization: `Bearer ${viewerKey}` })).status).toBe(
      403,
    );
    // With a good key the same oversized body is read, and refused for its size.
    expect((await post(big, 'application/x-protobuf')).status).toBe(413);
  });

  it('answers an undecodable body with 400 and a google.rpc.Status in the request encoding', async () => {
    const proto = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), 'application/x-protobuf');
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
    const status = RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())));
    expect(status.code).toBe(3); // INVALID_ARGUMENT
    expect(status.message).toMatch(/^The body is not an OTLP ExportMetricsServiceRequest in protobuf/);
    const json = await postJson({ resourceMetrics: 'nope' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 3, message: expect.stringMatching(/OTLP\/JSON/) });
    expect((await post('x', 'text/plain')).status).toBe(415);
  });

  it('stores what it can and reports the rest in partial_success: NaN, stale, out of window, delta histograms', async () => {
    const now = Date.now();
    const before = await counts();
    const res = await postJson(
      exportBody({ 'service.name': 'partial' }, [
        {
          name: 'queue.depth',
          gauge: {
            dataPoints: [
              gaugePoint(now, 7),
              gaugePoint(now - 1_000, 'NaN'),
              gaugePoint(now - 49 * 3_600_000, 1),
              gaugePoint(now - 2_000, 0, {}, 1),
            ],
          },
        },
        {
          name: 'latency',
          histogram: {
            aggregationTemporality: 1,
            dataPoints: [{ timeUnixNano: nanos(now), count: '1', sum: 1, bucketCounts: ['1'] }],
          },
        },
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.partialSuccess.rejectedDataPoints).toBe('4');
    for (const why of [
      'not a finite number',
      'accepted time window',
      'no recorded value',
      'delta histograms',
    ])
      expect(body.partialSuccess.errorMessage).toContain(why);
    expect(await counts()).toMatchObject({ series: before.series + 1, points: before.points + 1 });
  });

  it('answers an empty export with an empty success, and stores nothing', async () => {
    const before = await counts();
    const res = await post(new Uint8Array(0), 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(await postJson({ resourceMetrics: [] }).then((r) => r.json())).toEqual({});
    expect(await counts()).toMatchObject({ series: before.series, points: before.points });
  });

  it('replays a retried identical body (no Idempotency-Key): 200, nothing stored twice', async () => {
    const body = ProtobufMetricsSerializer.serializeRequest(await sdkResourceMetrics())!;
    const first = await post(gzipSync(body), 'application/x-protobuf', { 'content-encoding': 'gzip' });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
    // A full success is an empty ExportMetricsServiceResponse.
    expect(ExportResponse.toObject(ExportResponse.decode(new Uint8Array(await first.arrayBuffer())))).toEqual(
      {},
    );
    const after = await counts();
    const again = await post(Buffer.from(body), 'application/x-protobuf');
    expect(again.status).toBe(200);
    expect(await counts()).toEqual(after);
  });

  it('stores the other series when new ones pass a series limit, naming the metric and label in partial_success', async () => {
    const now = Date.now();
    const series = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => gaugePoint(now, i, { queue: `q${from + i}` }));
    const first = await postJson(
      exportBody({}, [{ name: 'jobs.waiting', gauge: { dataPoints: series(2) } }]),
    );
    expect(first.status).toBe(200);
    const res = await postJson(
      exportBody({}, [
        { name: 'jobs.waiting', gauge: { dataPoints: series(8, 1) } },
        { name: 'other', gauge: { dataPoints: [gaugePoint(now, 1)] } },
      ]),
    );
    expect(res.status).toBe(200);
    const { partialSuccess } = await res.json();
    expect(partialSuccess.rejectedDataPoints).toBe('4');
    expect(partialSuccess.errorMessage).toMatch(
      /4 new series were not stored: metric "jobs_waiting" is at its limit of 5 series; label "queue"/,
    );
    const rows = await api.sql<{ name: string; n: number }[]>`
      select name, count(*)::int as n from metric_series where name in ('jobs_waiting', 'other') group by name order by name`;
    expect(rows).toEqual([
      { name: 'jobs_waiting', n: 5 },
      { name: 'other', n: 1 },
    ]);
  });
});
