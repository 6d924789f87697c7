// POST /v1/metrics end to end vs. Postgres COPY into the same table: how close does the route get to the floor?
import { Agent, request } from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Sql } from '@sextant/db';
import type { Cleanup } from './lib/cleanup';
import { cpuSeconds, machineBusyPct, machineTicks } from './lib/cpu';
import { startDatabase } from './lib/database';
import {
  apiKey,
  benchSql,
  copyPoints,
  createSeries,
  int,
  mib,
  partitions,
  percentile,
  positiveInt,
} from './lib/metrics';
import { otlpGaugeBody } from './lib/otlp-body';
import { remoteWriteBodies } from './lib/remote-write-body';
import { printAligned } from './lib/report';
import { startApiProcess } from './lib/targets';

export const description =
  'POST /v1/metrics over HTTP (JSON, gzip), POST /api/v1/otlp/v1/metrics (OTLP protobuf) and POST /api/v1/write (remote write) vs. Postgres COPY into metric_points';

const SERIES = 1_000;
const METRIC = 'bench_ingest';
const HOURS = 3;

const RW_SAMPLES_PER_SERIES = 10;

/** Where and how a method's bodies are posted, and the status that means stored. */
interface Wire {
  path: string;
  headers: Record<string, string>;
  status: number;
}
const JSON_WIRE: Wire = { path: '/v1/metrics', headers: { 'content-type': 'application/json' }, status: 202 };
const GZIP_WIRE: Wire = { ...JSON_WIRE, headers: { ...JSON_WIRE.headers, 'content-encoding': 'gzip' } };
const REMOTE_WRITE_WIRE: Wire = {
  path: '/api/v1/write',
  headers: {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'snappy',
    'x-prometheus-remote-write-version': '0.1.0',
  },
  status: 204,
};
const OTLP_WIRE: Wire = {
  path: '/api/v1/otlp/v1/metrics',
  headers: { 'content-type': 'application/x-protobuf' },
  status: 200,
};

interface Row {
  method: string;
  points: number;
  seconds: number;
  latencies: number[] | null;
  apiCpuPct: number | null;
  machinePct: number;
}

export async function run(cleanup: Cleanup): Promise<void> {
  const total = positiveInt('BENCH_INGEST_POINTS', 1_000_000);
  const batchSize = positiveInt('BENCH_INGEST_BATCH', 10_000);
  const concurrency = positiveInt('BENCH_INGEST_CONCURRENCY', 4);
  if (batchSize > 50_000) throw new Error('BENCH_INGEST_BATCH must be at most 50,000 (the route limit)');
  if (total % SERIES !== 0) throw new Error(`BENCH_INGEST_POINTS must be a multiple of ${SERIES}`);

  const databaseUrl = await startDatabase(cleanup);
  const sql = benchSql(databaseUrl);
  cleanup.add('bench sql', () => sql.end());
  await partitions(sql);
  const series = await createSeries(sql, METRIC, SERIES);
  const maintainerKey = await apiKey(sql, 'maintainer');
  // No scheduler: no rollup, scrape or retention job competes with the load.
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false' });

  // One data set for every method: timestamp by timestamp, every series at each (as scrapes arrive).
  console.log(`preparing ${int(total)} points for ${SERIES} series over the last ${HOURS} h ...`);
  const perSeries = Math.ceil(total / SERIES);
  const spacingMs = Math.max(1, Math.floor((HOURS * 3_600_000) / perSeries));
  const base = Date.now() - HOURS * 3_600_000;
  const seriesOf = (i: number) => series[i % SERIES]!;
  const tsOf = (i: number) => base + Math.floor(i / SERIES) * spacingMs;
  const values = Float64Array.from({ length: total }, () => Math.random() * 1000);

  const copyChunks: string[] = [];
  for (let start = 0; start < total; start += 10_000) {
    let text = '';
    for (let i = start; i < Math.min(total, start + 10_000); i++) {
      text += `${seriesOf(i).id}\t${new Date(tsOf(i)).toISOString()}\t${values[i]}\n`;
    }
    copyChunks.push(text);
  }
  const bodies: Buffer[] = [];
  const otlpBodies: Buffer[] = [];
  for (let start = 0; start < total; start += batchSize) {
    const points = [];
    for (let i = start; i < Math.min(total, start + batchSize); i++) {
      const s = seriesOf(i);
      points.push({ name: s.name, labels: s.labels, ts: tsOf(i), value: values[i]! });
    }
    bodies.push(Buffer.from(JSON.stringify({ points })));
    // The same samples as OTLP: labels as attributes of an empty resource map to the very same series.
    otlpBodies.push(otlpGaugeBody(METRIC, points));
  }
  const gzipped = bodies.map((b) => gzipSync(b, { level: 1 }));
  // Remote write: 1,000 series x 10 samples per request (10,000 points, as the JSON batches by default).
  const snappied = remoteWriteBodies({
    series,
    samplesPerSeries: RW_SAMPLES_PER_SERIES,
    timestamps: perSeries,
    tsOf: (step) => base + step * spacingMs,
    valueOf: (s, step) => values[step * SERIES + s]!,
  });
  const jsonBytes = bodies.reduce((a, b) => a + b.length, 0);
  const gzipBytes = gzipped.reduce((a, b) => a + b.length, 0);

  const http = new Agent({ keepAlive: true, maxSockets: concurrency });
  cleanup.add('http agent', () => http.destroy());
  const url = new URL(api.base);
  const post = (body: Buffer, wire: Wire) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent: http,
          host: url.hostname,
          port: url.port,
          path: wire.path,
          method: 'POST',
          headers: {
            authorization: `Bearer ${maintainerKey}`,
            'content-length': body.length,
            ...wire.headers,
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () =>
            res.statusCode === wire.status
              ? resolve()
              : reject(new Error(`POST ${wire.path} answered ${res.statusCode}: ${Buffer.concat(parts)}`)),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** `concurrency` loops taking the next batch until none is left; per-request latency in ms. */
  const send = async (batches: Buffer[], wire: Wire) => {
    const latencies: number[] = [];
    let next = 0;
    const loop = async () => {
      for (let i = next++; i < batches.length; i = next++) {
        const t = performance.now();
        await post(batches[i]!, wire);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return latencies.sort((a, b) => a - b);
  };

  /** Each method starts from an empty table and a fresh checkpoint, and must leave exactly `total` rows. */
  const measure = async (method: string, body: () => Promise<number[] | null>): Promise<Row> => {
    await reset(sql);
    console.log(`measuring ${method} ...`);
    const cpu0 = cpuSeconds(api.pid);
    const m0 = machineTicks();
    const t0 = performance.now();
    const latencies = await body();
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machineTicks();
    const cpu1 = cpuSeconds(api.pid);
    const [stored] = await sql<{ n: string }[]>`select count(*)::text as n from metric_points`;
    if (Number(stored!.n) !== total)
      throw new Error(`${method}: ${stored!.n} rows stored, expected ${total}`);
    return {
      method,
      points: total,
      seconds,
      latencies,
      apiCpuPct: latencies ? ((cpu1 - cpu0) / seconds) * 100 : null,
      machinePct: machineBusyPct(m0, m1),
    };
  };

  const copy = await measure('Postgres COPY (baseline, 1 stream)', async () => {
    await copyPoints(sql, copyChunks);
    return null;
  });
  // Warm the API (JIT, pool, both body paths) with a few real batches; reset() then empties the table.
  const warm = Math.min(bodies.length, concurrency * 2);
  await send(bodies.slice(0, warm), JSON_WIRE);
  await send(gzipped.slice(0, warm), GZIP_WIRE);
  // The first remote write batches also create its series (`job` arrives as `service`: other labels, other series).
  await send(snappied.slice(0, warm), REMOTE_WRITE_WIRE);
  await send(otlpBodies.slice(0, warm), OTLP_WIRE);
  const json = await measure(`POST /v1/metrics JSON (${concurrency} clients)`, () => send(bodies, JSON_WIRE));
  const gzip = await measure(`POST /v1/metrics gzip (${concurrency} clients)`, () =>
    send(gzipped, GZIP_WIRE),
  );
  const otlp = await measure(`POST /api/v1/otlp/v1/metrics protobuf (${concurrency} clients)`, () =>
    send(otlpBodies, OTLP_WIRE),
  );
  const remoteWrite = await measure(`POST /api/v1/write snappy (${concurrency} clients)`, () =>
    send(snappied, REMOTE_WRITE_WIRE),
  );

  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  console.log(
    `\nmachine:  ${availableParallelism()} cpus (${cpu}), node ${process.version}, API and Postgres on the same machine`,
  );
  console.log(
    `data:     ${int(total)} points, ${SERIES} series, ${perSeries} timestamps ${spacingMs} ms apart over the last ${HOURS} h; empty table + checkpoint before each method`,
  );
  console.log(
    `http:     batches of ${int(batchSize)} points (${bodies.length} requests; ${mib(jsonBytes / bodies.length)} JSON, ${mib(gzipBytes / bodies.length)} gzip level 1 per request, built ahead), ${concurrency} keep-alive clients, ${warm} warm-up batches per body type dropped`,
  );
  console.log(
    `remote:   ${snappied.length} remote write requests of ${SERIES} series x ${RW_SAMPLES_PER_SERIES} samples, ${mib(snappied.reduce((a, b) => a + b.length, 0) / snappied.length)} snappy per request`,
  );
  console.log(
    `otlp:     the same batches as OTLP protobuf (${mib(otlpBodies.reduce((a, b) => a + b.length, 0) / otlpBodies.length)} per request, one gauge, labels as attributes)`,
  );
  console.log(`target:   HTTP JSON, OTLP protobuf and remote write points/s >= 50 % of COPY\n`);
  const rows = [copy, json, gzip, otlp, remoteWrite];
  printAligned(
    [
      'method',
      'points',
      'seconds',
      'points/s',
      'vs COPY',
      'p50 ms/batch',
      'p99 ms/batch',
      'API CPU %',
      'machine CPU %',
    ],
    rows.map((r) => [
      r.method,
      int(r.points),
      r.seconds.toFixed(2),
      int(r.points / r.seconds),
      `${((copy.seconds / r.seconds) * 100).toFixed(1)} %`,
      r.latencies ? percentile(r.latencies, 50).toFixed(1) : 'n/a',
      r.latencies ? percentile(r.latencies, 99).toFixed(1) : 'n/a',
      r.apiCpuPct === null ? 'n/a' : r.apiCpuPct.toFixed(0),
      r.machinePct.toFixed(0),
    ]),
  );
  for (const [what, r] of [
    ['HTTP JSON', json],
    ['OTLP protobuf', otlp],
    ['remote write', remoteWrite],
  ] as const) {
    const ratio = copy.seconds / r.seconds;
    console.log(
      `${what} at ${(ratio * 100).toFixed(1)} % of COPY: ${ratio >= 0.5 ? 'meets' : 'MISSES'} the 50 % target`,
    );
  }
}

async function reset(sql: Sql): Promise<void> {
  // And the remembered bodies: remote write's implicit idempotency would answer the warm-up's bodies as replays.
  await sql`truncate metric_points, metric_ingest_keys`;
  await sql`checkpoint`;
}
