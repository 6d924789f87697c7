import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  target: string;
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  /** Anything but a 2xx answer: errors, timeouts, non-2xx statuses. */
  failures: number;
  /** The non-2xx answers among the failures, by status (e.g. 503s the API's load shedding sent). */
  statuses: Record<number, number>;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** One set of settings for every target, so their numbers compare. */
export function loadSettings(): LoadSettings {
  return {
    connections: positiveInt('BENCH_CONNECTIONS', 10),
    warmupSeconds: positiveInt('BENCH_WARMUP', 2),
    durationSeconds: positiveInt('BENCH_DURATION', 10),
  };
}

/** Loopback only: a bench must never be pointed at someone else's server. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`bench targets must be on 127.0.0.1, got ${url}`);
}

/** Nearest-rank percentile of sorted latencies. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface LoadTarget {
  target: string;
  url: string;
  headers?: Record<string, string>;
  request?: { method?: 'GET' | 'POST'; body?: string };
}

interface Tally {
  latencies: number[];
  statuses: Record<number, number>;
  requests: number;
  failures: number;
  seconds: number;
}

/** One measured autocannon run of `seconds`, added to `tally`. */
async function measure(t: LoadTarget, connections: number, seconds: number, tally: Tally): Promise<void> {
  const run = autocannon({
    url: t.url,
    connections,
    headers: t.headers ?? {},
    ...t.request,
    duration: seconds,
  });
  // autocannon's own histogram keeps whole milliseconds, too coarse for a sub-ms baseline; keep every raw timing.
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    tally.latencies.push(ms);
    if (status < 200 || status > 299) tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  });
  const r = await run;
  tally.requests += r.requests.total;
  tally.failures += r.errors + r.timeouts + r.non2xx;
  tally.seconds += r.duration || seconds;
}

function result(target: string, tally: Tally): LoadResult {
  const sorted = Float64Array.from(tally.latencies).sort();
  return {
    target,
    requestsPerSec: tally.requests / tally.seconds,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    requests: tally.requests,
    failures: tally.failures,
    statuses: tally.statuses,
  };
}

const emptyTally = (): Tally => ({ latencies: [], statuses: {}, requests: 0, failures: 0, seconds: 0 });

/** Warm-up run (JIT, pools, caches) whose numbers are dropped, then the measured run. GET unless `request` says. */
export async function load(
  target: string,
  url: string,
  settings: LoadSettings,
  headers: Record<string, string> = {},
  request: { method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadResult> {
  assertLoopback(url);
  const t = { target, url, headers, request };
  await measure(t, settings.connections, settings.warmupSeconds, emptyTally());
  const tally = emptyTally();
  await measure(t, settings.connections, settings.durationSeconds, tally);
  return result(target, tally);
}

/**
 * Targets measured in turns (each warmed up, then `rounds` slices of durationSeconds / rounds, the order rotating
 * every round), so a machine whose speed drifts during the run (shared or throttled cores) moves every target's
 * figure alike and their ratios stay fair.
 */
export async function loadInterleaved(
  targets: LoadTarget[],
  settings: LoadSettings,
  rounds = positiveInt('BENCH_ROUNDS', 4),
): Promise<LoadResult[]> {
  for (const t of targets) assertLoopback(t.url);
  for (const t of targets) await measure(t, settings.connections, settings.warmupSeconds, emptyTally());
  const tallies = targets.map(emptyTally);
  const slice = Math.max(1, Math.round(settings.durationSeconds / rounds));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < targets.length; i++) {
      const k = (i + r) % targets.length;
      await measure(targets[k]!, settings.connections, slice, tallies[k]!);
    }
  }
  return targets.map((t, i) => result(t.target, tallies[i]!));
}
