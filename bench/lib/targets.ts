import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup';
import { freePort, spawnServer, waitForHttp } from './process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real built API (what `pnpm start` runs) over the given database; returns its base URL. */
export async function startApi(cleanup: Cleanup, databaseUrl: string): Promise<string> {
  return (await startApiProcess(cleanup, databaseUrl)).base;
}

/** Same, with extra settings, also returning the process (for CPU accounting) and a way to stop it early. */
export async function startApiProcess(
  cleanup: Cleanup,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    // The limiter would turn most of the load into 429s.
    API_RATE_LIMIT_PER_MIN: '0',
    LOG_LEVEL: 'warn',
    SEXTANT_SEED: 'true',
    // A given first password is not written to the workspace's .sextant/ as a generated one would be.
    SEXTANT_ADMIN_PASSWORD: 'bench-first-admin-password',
    ...extraEnv,
  };
  // A replica from the caller's shell would send reads to a server that is not ours.
  delete env.DATABASE_REPLICA_URL;
  // BENCH_API_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the API under load; Node refuses them in NODE_OPTIONS.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const main = path.join(root, 'apps/api/dist/main.js');
  const api = spawnServer(cleanup, 'api', process.execPath, [...nodeArgs, main], env);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(api, `${base}/healthz`);
  return { base, pid: api.child.pid!, stop: api.stop };
}

/** Bare Fastify answering `body` at `/`; returns its URL. */
export async function startBaseline(cleanup: Cleanup, body: unknown): Promise<string> {
  const port = await freePort();
  const json = JSON.stringify(body);
  const env: NodeJS.ProcessEnv = { ...process.env, BASELINE_PORT: String(port) };
  // One environment variable holds at most 128 KiB (Linux MAX_ARG_STRLEN); a larger body goes through a file.
  if (json.length > 100_000) {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-baseline-'));
    cleanup.add('baseline body', () => rm(dir, { recursive: true, force: true }));
    env.BASELINE_BODY_FILE = path.join(dir, 'body.json');
    await writeFile(env.BASELINE_BODY_FILE, json);
  } else env.BASELINE_BODY = json;
  const script = path.join(root, 'bench/lib/baseline-server.mjs');
  const baseline = spawnServer(cleanup, 'baseline', process.execPath, [script], env);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(baseline, url);
  return url;
}
