import { METRIC_LIMITS } from '@sextant/trpc';
import fc from 'fast-check';
import { compress } from 'snappyjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWriteRequest, WireError } from '../../src/ingest/remote-write/decode';
import {
  encodeWriteRequest,
  remoteWriteBody,
  WriteRequest,
  type WriteRequestInput,
} from '../../src/ingest/remote-write/proto';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { useTestApi } from '../helpers';

// A small series limit, so one request can meet it.
const api = useTestApi({ METRICS_MAX_SERIES_PER_METRIC: '5' });
let key: string;
let viewerKey: string;

beforeAll(async () => {
  await ensureMetricPartitions(api.sql);
  key = (await api.withKey('maintainer')).key;
  viewerKey = (await api.withKey('viewer')).key;
});

const V1 = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

function post(body: Uint8Array, headers: Record<string, string> = {}, auth: string | null = key) {
  return fetch(`${api.baseUrl}/api/v1/write`, {
    method: 'POST',
    headers: { ...V1, ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
    body: body as BodyInit,
  });
}

/** Prometheus' stale marker (model/value.StaleNaN). */
const STALE_NAN = Buffer.from('020000000000f07f', 'hex').readDoubleLE(0);

const series = (labels: Record<string, string>, samples: [number, number][]) => ({
  labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
  samples: samples.map(([timestamp, value]) => ({ value, timestamp })),
});

/** Stale markers told apart by their bits (every NaN is Object.is-equal to every other). */
function staleIn(samples: { value: number }[]) {
  const bits = Buffer.alloc(8);
  return samples.filter((x) => {
    bits.writeDoubleLE(x.value);
    return bits.equals(Buffer.from('020000000000f07f', 'hex'));
  }).length;
}

async function stored(name: string) {
  return api.sql<{ labels: Record<string, string>; kind: string; ts: Date; value: number }[]>`
    select s.labels, s.kind, p.ts, p.value from metric_points p join metric_series s on s.id = p.series_id
    where s.name = ${name} order by s.labels::text, p.ts`;
}

describe('the WriteRequest reader', () => {
  it('reads what protobufjs encodes: labels, samples (NaN, stale markers, ±Inf, 0), histograms, metadata', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const request = fc.record({
      timeseries: fc.array(
        fc.record({
          labels: fc.array(fc.record({ name: text, value: text }), { maxLength: 4 }),
          samples: fc.array(
            fc.record({
              value: fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(Number.NaN, STALE_NAN)),
              timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
            }),
            { maxLength: 5 },
          ),
          histograms: fc.array(fc.record({ sum: fc.double({ noNaN: true }), timestamp: fc.nat() }), {
            maxLength: 2,
          }),
        }),
        { maxLength: 6 },
      ),
      metadata: fc.array(fc.record({ type: fc.integer({ min: 0, max: 7 }), metricFamilyName: text }), {
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(request, (req: WriteRequestInput) => {
        const bytes = encodeWriteRequest(req);
        const ours = decodeWriteRequest(bytes, Number.POSITIVE_INFINITY);
        const theirs = WriteRequest.toObject(WriteRequest.decode(bytes), {
          longs: Number,
          defaults: true,
          arrays: true,
        }) as Required<WriteRequestInput>;
        expect(ours.timeseries.map((s) => s.labels)).toEqual(
          theirs.timeseries.map((s) => s.labels.flatMap((l) => [l.name, l.value])),
        );
        expect(ours.timeseries.map((s) => s.values)).toEqual(
          theirs.timeseries.map((s) => s.samples.map((x) => x.value)),
        );
        expect(ours.timeseries.map((s) => s.timestamps)).toEqual(
          theirs.timeseries.map((s) => s.samples.map((x) => x.timestamp)),
        );
        expect(ours.timeseries.map((s) => s.stale)).toEqual(req.timeseries.map((s) => staleIn(s.samples)));
        expect(ours.timeseries.map((s) => s.histograms)).toEqual(
          theirs.timeseries.map((s) => s.histograms?.length ?? 0),
        );
        expect([...ours.metadata]).toEqual(
          [...new Map(theirs.metadata.map((m) => [m.metricFamilyName, m.type])).entries()].filter(
            ([name]) => name !== '',
          ),
        );
        expect(ours.samples).toBe(req.timeseries.reduce((n, s) => n + s.samples.length, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every truncation of a request rather than misreading it', () => {
    const bytes = encodeWriteRequest({
      timeseries: [series({ __name__: 'up', job: 'node' }, [[Date.now(), 1]])],
    });
    for (let n = 1; n < bytes.length; n++)
      expect(() => decodeWriteRequest(bytes.subarray(0, n), 10), `${n} bytes`).toThrow(WireError);
  });
});

describe('POST /api/v1/write', () => {
  it('stores samples as Prometheus sends them: job becomes service, counters by suffix or metadata, 204', async () => {
    const now = Date.now() - 5_000;
    const res = await post(
      remoteWriteBody({
        timeseries: [
          series({ __name__: 'rw_requests_total', job: 'shop', instance: 'a:9100', environment: 'PRO' }, [
            [now - 1_000, 10],
            [now, 12],
          ]),
          series({ __name__: 'rw_queue', job: 'shop', service: 'billing', empty: '' }, [[now, 3]]),
          series({ __name__: 'rw_ops', job: 'shop' }, [[now, 7]]),
        ],
        metadata: [{ type: 1, metricFamilyName: 'rw_ops' }],
      }),
    );
    expect(res.status).toBe(204);
    expect(await stored('rw_requests_total')).toEqual([
      {
        labels: { service: 'shop', instance: 'a:9100', environment: 'PRO' },
        kind: 'counter',
        ts: new Date(now - 1_000),
        value: 10,
      },
      {
        labels: { service: 'shop', instance: 'a:9100', environment: 'PRO' },
        kind: 'counter',
        ts: new Date(now),
        value: 12,
      },
    ]);
    // An own `service` label wins and `job` stays a label; an empty value is no label.
    expect(await stored('rw_queue')).toEqual([
      { labels: { service: 'billing', job: 'shop' }, kind: 'gauge', ts: new Date(now), value: 3 },
    ]);
    expect((await stored('rw_ops'))[0]!.kind).toBe('counter');
  });

  it('leaves out stale markers, NaN, infinities, samples outside the window and native histograms; 204', async () => {
    const now = Date.now() - 5_000;
    const res = await post(
      remoteWriteBody({
        timeseries: [
          {
            ...series({ __name__: 'rw_stale', job: 'shop' }, [
              [now - 3_000, 1],
              [now - 2_000, STALE_NAN],
              [now - 1_000, Number.NaN],
              [now, Number.POSITIVE_INFINITY],
              [now - METRIC_LIMITS.maxAgeMs - 60_000, 5],
              [now + METRIC_LIMITS.maxFutureMs + 60_000, 6],
            ]),
            histograms: [{ sum: 1, timestamp: now }],
          },
        ],
      }),
    );
    expect(res.status).toBe(204);
    expect((await stored('rw_stale')).map((r) => r.value)).toEqual([1]);
    // Only stale markers (a target went away) or only metadata: nothing to store, still a success.
    const onlyStale = await post(
      remoteWriteBody({ timeseries: [series({ __name__: 'rw_gone', job: 'x' }, [[now, STALE_NAN]])] }),
    );
    expect(onlyStale.status).toBe(204);
    const onlyMetadata = await post(
      remoteWriteBody({ timeseries: [], metadata: [{ type: 2, metricFamilyName: 'rw_gone' }] }),
    );
    expect(onlyMetadata.status).toBe(204);
    expect(await stored('rw_gone')).toEqual([]);
  });

  it('stores an identical retry once', async () => {
    const body = remoteWriteBody({
      timeseries: [series({ __name__: 'rw_retry', job: 'shop' }, [[Date.now() - 1_000, 1]])],
    });
    const [audits] = await api.sql<{ n: number }[]>`select count(*)::int as n from audit_log`;
    expect((await post(body)).status).toBe(204);
    expect((await post(body)).status).toBe(204);
    expect(await stored('rw_retry')).toHaveLength(1);
    const [after] = await api.sql<{ n: number }[]>`select count(*)::int as n from audit_log`;
    expect(after!.n - audits!.n).toBe(1);
  });

  it('checks the key before reading the body: 401 without one, 403 for a viewer', async () => {
    // Not snappy and over the 10 MiB body limit: reading it would answer 400 or 413.
    const junk = new Uint8Array(11 * 1_048_576).fill(0xff);
    expect((await post(junk, {}, null)).status).toBe(401);
    expect((await post(junk, {}, viewerKey)).status).toBe(403);
  });

  it('answers 413 to a snappy body declaring more than the limit, before inflating it; 400 to bad snappy', async () => {
    // The preamble declares 100 MB; the stream itself is a handful of bytes (and invalid past the preamble).
    const bomb = Uint8Array.from([0x80, 0xc2, 0xd7, 0x2f, 0x00, 0x61]);
    const res = await post(bomb);
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/10485760-byte limit/);
    const bad = await post(Uint8Array.from([0x05, 0xff, 0xff, 0xff]));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/not valid snappy/);
  });

  it('answers 400 in plain text to a body that is not a WriteRequest, or one over the samples limit', async () => {
    const garbage = await post(compress(Buffer.from([0x0a, 0x10, 0x01])));
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await garbage.text()).toMatch(/not a remote write 1.0 WriteRequest/);
    const many = Array.from({ length: METRIC_LIMITS.samplesPerBatch + 1 }, (_, i): [number, number] => [
      Date.now() - i,
      i,
    ]);
    const big = await post(remoteWriteBody({ timeseries: [series({ __name__: 'rw_many' }, many)] }));
    expect(big.status).toBe(400);
    expect(await big.text()).toMatch(/At most 50000 samples per request/);
    expect(await stored('rw_many')).toEqual([]);
  });

  it('validates the batch as POST /v1/metrics does, with its wording, and stores none of a bad one', async () => {
    const labels = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, 'x']));
    const res = await post(
      remoteWriteBody({
        timeseries: [
          series({ __name__: 'rw_wide', ...labels }, [[Date.now() - 1_000, 1]]),
          series({ __name__: 'rw_fine' }, [[Date.now() - 1_000, 1]]),
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      'The batch was rejected (1 problem); nothing was stored.\npoints.0.labels: At most 32 labels per series.\n',
    );
    expect(await stored('rw_fine')).toEqual([]);
  });

  it('answers 415 to remote write 2.0, so the sender falls back to 1.0', async () => {
    const res = await post(
      remoteWriteBody({ timeseries: [series({ __name__: 'rw_v2' }, [[Date.now(), 1]])] }),
      { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
    );
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/remote write 1.0/);
    expect(await stored('rw_v2')).toEqual([]);
    const v1 = await post(
      remoteWriteBody({ timeseries: [series({ __name__: 'rw_v1' }, [[Date.now(), 1]])] }),
      { 'content-type': 'application/x-protobuf;proto=prometheus.WriteRequest' },
    );
    expect(v1.status).toBe(204);
  });

  it('stores the rest of a request whose new series exceed a limit, and answers 400 naming metric and label', async () => {
    const now = Date.now() - 2_000;
    const res = await post(
      remoteWriteBody({
        timeseries: [
          ...Array.from({ length: 8 }, (_, i) =>
            series({ __name__: 'rw_paths_total', job: 'shop', path: `/p${i}` }, [[now, i]]),
          ),
          series({ __name__: 'rw_other', job: 'shop' }, [[now, 42]]),
        ],
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toMatch(/metric "rw_paths_total"/);
    expect(body).toMatch(/label "path"/);
    expect(await stored('rw_other')).toHaveLength(1);
    // Up to the limit of 5 series the new ones were kept; the others were left out.
    expect(new Set((await stored('rw_paths_total')).map((r) => r.labels.path)).size).toBe(5);
  });
});
