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

/** Warm-up run (JIT, pools, caches) whose numbers are dropped, then the measured run. GET unless `request` says. */
export async function load(
  target: string,
  url: string,
  settings: LoadSettings,
  headers: Record<string, string> = {},
  request: { method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadResult> {
  assertLoopback(url);
  const opts = { url, connections: settings.connections, headers, ...request };
  await autocannon({ ...opts, duration: settings.warmupSeconds });
  const run = autocannon({ ...opts, duration: settings.durationSeconds });
  // autocannon's own histogram keeps whole milliseconds, too coarse for a sub-ms baseline; keep every raw timing.
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const r = await run;
  const sorted = Float64Array.from(latencies).sort();
  return {
    target,
    requestsPerSec: r.requests.total / (r.duration || settings.durationSeconds),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    requests: r.requests.total,
    failures: r.errors + r.timeouts + r.non2xx,
    statuses,
  };
}
