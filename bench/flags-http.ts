// Feature flags over HTTP (issue 18): OFREP single evaluations/s vs. bare Fastify, and snapshot propagation to
// 1,000 SSE clients. Both sections share one built API process over a throwaway embedded Postgres.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSseParser } from '@sextant/flags';
import postgres from 'postgres';
import type { SectionContext } from './flags';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { benchApiKey } from './lib/http-reads';
import { loadInterleaved, loadSettings } from './lib/load';
import { printAligned, printTable } from './lib/report';
import { startApiProcess, startBaseline } from './lib/targets';

const ENVIRONMENT = 'PRO';
const OFREP_TARGET_SHARE = 0.5;
const PROPAGATION_TARGET_MS = 2_000;
const STREAMS = positiveInt('BENCH_FLAGS_STREAMS', 1_000);
const CHANGES = positiveInt('BENCH_FLAGS_CHANGES', 20);
/** A change not seen by every client within this long is counted as missed by the rest; the bench moves on. */
const CHANGE_TIMEOUT_MS = positiveInt('BENCH_FLAGS_CHANGE_TIMEOUT_MS', 10_000);
const OPEN_TIMEOUT_MS = 60_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

interface FlagsApi {
  base: string;
  viewerKey: string;
  /** A tRPC mutation with the maintainer's key, as a service or script would call it. */
  mutate(path: string, input: unknown): Promise<unknown>;
}

// One API for both sections; forgotten when the run's cleanup stops it.
let shared: Promise<FlagsApi> | undefined;
function flagsApi(cleanup: Cleanup): Promise<FlagsApi> {
  if (!shared) {
    shared = startFlagsApi(cleanup);
    cleanup.add('flags api handle', () => {
      shared = undefined;
    });
  }
  return shared;
}

async function startFlagsApi(cleanup: Cleanup): Promise<FlagsApi> {
  const databaseUrl = await startDatabase(cleanup);
  // Scheduler off: nothing but the flag edges and tRPC compete for the API's core. The seed makes PRO.
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false' });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  cleanup.add('flags bench sql', () => sql.end());
  const maintainerKey = await benchApiKey(sql, 'maintainer');
  const viewerKey = await benchApiKey(sql, 'viewer');
  const mutate = async (path: string, input: unknown) => {
    const res = await fetch(`${api.base}/trpc/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${maintainerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: input }),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  // The local section's flag (3 constraints + 50 % rollout) and a plain one the propagation section toggles.
  await mutate('flags.create', { key: 'bench-checkout', type: 'boolean' });
  await mutate('flags.setEnvironment', {
    key: 'bench-checkout',
    environment: ENVIRONMENT,
    enabled: true,
    strategies: [
      {
        type: 'gradualRollout',
        percentage: 50,
        stickiness: 'default',
        constraints: [
          {
            contextName: 'country',
            operator: 'IN',
            values: ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT'],
          },
          { contextName: 'appVersion', operator: 'SEMVER_GT', value: '2.3.0' },
          { contextName: 'age', operator: 'NUM_GTE', value: '18' },
        ],
      },
    ],
  });
  await mutate('flags.create', { key: 'bench-kill-switch', type: 'boolean' });
  await mutate('flags.toggle', { key: 'bench-kill-switch', environment: ENVIRONMENT, enabled: true });
  return { base: api.base, viewerKey, mutate };
}

/** Requests/s of `POST /ofrep/v1/evaluate/flags/{key}` vs. a bare Fastify POST answering the same JSON. */
export async function ofrepEvaluation(ctx: SectionContext): Promise<void> {
  const api = await flagsApi(ctx.cleanup);
  const settings = {
    ...loadSettings(),
    warmupSeconds: ctx.warmupSeconds,
    durationSeconds: ctx.durationSeconds,
  };
  const url = `${api.base}/ofrep/v1/evaluate/flags/bench-checkout?environment=${ENVIRONMENT}`;
  const body = JSON.stringify({
    context: { targetingKey: 'user-174', country: 'DE', appVersion: '3.1.0', age: 30 },
  });
  const headers = { authorization: `Bearer ${api.viewerKey}`, 'content-type': 'application/json' };
  const probe = await fetch(url, { method: 'POST', headers, body });
  const answer: unknown = await probe.json();
  if (probe.status !== 200) throw new Error(`OFREP answered ${probe.status}: ${JSON.stringify(answer)}`);
  // Same request body in, same answer bytes out: the gap is the key check, the snapshot and the evaluation.
  const baselineUrl = await startBaseline(ctx.cleanup, answer);
  const post = { method: 'POST' as const, body };
  // In turns, so drift in the machine's speed during the run cannot favour one row.
  const [baseline, ofrep, healthz, snapshot] = await loadInterleaved(
    [
      { target: 'bare Fastify POST, same JSON (baseline)', url: baselineUrl, headers, request: post },
      { target: 'OFREP single evaluation (API key + evaluate)', url, headers, request: post },
      // Where the gap comes from: the API's plugin stack alone, then plus the key check and the snapshot lookup.
      { target: 'API /healthz (plugin stack, no key, no DB)', url: `${api.base}/healthz` },
      {
        target: 'GET /v1/flags/snapshot (key check + lookup)',
        url: `${api.base}/v1/flags/snapshot?environment=${ENVIRONMENT}`,
        headers: { authorization: `Bearer ${api.viewerKey}` },
      },
    ],
    settings,
  );
  if (!baseline || !ofrep || !healthz || !snapshot) throw new Error('loadInterleaved lost a row');
  printTable(`answer: ${JSON.stringify(answer)}`, [baseline, ofrep, healthz, snapshot], baseline);
  const share = ofrep.requestsPerSec / baseline.requestsPerSec;
  console.log(
    `\nOFREP at ${(share * 100).toFixed(1)} % of the bare route (target ≥ ${OFREP_TARGET_SHARE * 100} %): ${share >= OFREP_TARGET_SHARE ? 'met' : 'not met'}; ${settings.connections} connections`,
  );
  const failed = [baseline, ofrep, healthz, snapshot].filter((r) => r.failures > 0);
  if (failed.length > 0)
    throw new Error(
      failed.map((r) => `${r.target}: ${r.failures} failures ${JSON.stringify(r.statuses)}`).join('; '),
    );
}

interface Stream {
  /** The etag of the last snapshot event. */
  last: string | undefined;
  onEvent?: (id: string, at: number) => void;
  request: http.ClientRequest;
}

/** One raw SSE connection; resolves at its first snapshot event. */
function openStream(url: string, key: string, agent: http.Agent): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${key}` } });
    const stream: Stream = { last: undefined, request };
    request.on('error', reject);
    request.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      const parser = createSseParser((e) => {
        if (e.event !== 'snapshot' || e.id === undefined) return;
        const first = stream.last === undefined;
        stream.last = e.id;
        if (first) resolve(stream);
        else stream.onEvent?.(e.id, performance.now());
      });
      res.on('data', (chunk: string) => parser.push(chunk));
    });
  });
}

/** Nearest-rank percentile of sorted values. */
const at = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** Snapshot propagation: a flag change through tRPC until each of STREAMS open SSE clients has the new etag. */
export async function streamPropagation(ctx: SectionContext): Promise<void> {
  const fds = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
  if (Number.isFinite(fds) && fds < STREAMS + 256)
    throw new Error(
      `ulimit -n is ${fds}: ${STREAMS} streams need at least ${STREAMS + 256} file descriptors`,
    );
  const api = await flagsApi(ctx.cleanup);
  const url = `${api.base}/v1/flags/stream?environment=${ENVIRONMENT}`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const streams: Stream[] = [];
  ctx.cleanup.add('flag streams', () => {
    for (const s of streams) s.request.destroy();
    agent.destroy();
  });
  const opening = performance.now();
  const deadline = opening + OPEN_TIMEOUT_MS;
  // 50 at a time: every open checks the key in Postgres; a burst of 1,000 would only queue on the pool.
  while (streams.length < STREAMS) {
    if (performance.now() > deadline) throw new Error(`only ${streams.length} streams opened in time`);
    const batch = Math.min(50, STREAMS - streams.length);
    streams.push(
      ...(await Promise.all(Array.from({ length: batch }, () => openStream(url, api.viewerKey, agent)))),
    );
  }
  const openSeconds = (performance.now() - opening) / 1000;

  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  const received = new Array<number>(streams.length).fill(0);
  const perChangeMax: number[] = [];
  for (let change = 0; change < CHANGES; change++) {
    const before = streams.map((s) => s.last);
    const arrivals = new Array<number>(streams.length).fill(Number.NaN);
    let pending = streams.length;
    let allIn: () => void = () => {};
    const everyone = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    streams.forEach((s, k) => {
      s.onEvent = (id, time) => {
        if (id === before[k] || !Number.isNaN(arrivals[k]!)) return;
        arrivals[k] = time;
        if (--pending === 0) allIn();
      };
    });
    const sent = performance.now();
    await api.mutate('flags.toggle', {
      key: 'bench-kill-switch',
      environment: ENVIRONMENT,
      enabled: change % 2 === 1,
    });
    const answered = performance.now();
    await Promise.race([everyone, sleep(CHANGE_TIMEOUT_MS)]);
    let worst = 0;
    arrivals.forEach((t, k) => {
      if (Number.isNaN(t)) return;
      received[k]!++;
      fromResponse.push(t - answered);
      fromRequest.push(t - sent);
      worst = Math.max(worst, t - sent);
    });
    perChangeMax.push(worst);
    // A pause between changes, so each is measured alone (the server coalesces nothing here).
    await sleep(100);
  }
  for (const s of streams) s.onEvent = undefined;

  const complete = received.filter((n) => n === CHANGES).length;
  const expected = CHANGES * streams.length;
  const row = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return [name, ...[0.5, 0.95, 0.99].map((p) => at(sorted, p).toFixed(1)), at(sorted, 1).toFixed(1)];
  };
  console.log(
    `${streams.length.toLocaleString('en-US')} SSE clients (raw node:http in the bench's process) opened in ${openSeconds.toFixed(1)} s; ${CHANGES} changes (flags.toggle over tRPC, one at a time)\n`,
  );
  printAligned(
    ['propagation (ms)', 'p50', 'p95', 'p99', 'max'],
    [
      row('mutation answered → client has new etag', fromResponse),
      row('mutation sent → client has new etag', fromRequest),
    ],
  );
  const p99 = at(
    [...fromRequest].sort((a, b) => a - b),
    0.99,
  );
  console.log(
    `\nreceipts: ${fromRequest.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}; clients that got every change: ${complete} of ${streams.length}`,
  );
  console.log(
    `p99 from sending the mutation ${p99.toFixed(1)} ms (target < ${PROPAGATION_TARGET_MS} ms): ${p99 < PROPAGATION_TARGET_MS && complete === streams.length ? 'met' : 'not met'}; slowest change ${Math.max(...perChangeMax).toFixed(0)} ms`,
  );
  if (complete !== streams.length)
    throw new Error(`${streams.length - complete} clients missed a change within ${CHANGE_TIMEOUT_MS} ms`);
}
