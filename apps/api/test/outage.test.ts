import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@sextant/db';
import { freePort } from '@sextant/db/testing';
import type { SystemInfo } from '@sextant/trpc';
import { TRPCClientError } from '@sextant/trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

// Its own cluster, because this test stops and restarts Postgres under a running API.
let dir: string;
let port: number;
let passwordFile: string;
let pg: EmbeddedPostgres;
let api: TestApi;
const logs: Record<string, unknown>[] = [];

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, elapsedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sextant-outage-'));
  await chmod(dir, 0o755); // reachable by the postgres user the server runs as
  port = await freePort();
  passwordFile = path.join(dir, 'pg-password');
  pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, passwordFile });
  api = await startTestApi({ DATABASE_URL: pg.url, LOG_LEVEL: 'warn' }, { logs });
});

afterAll(async () => {
  await api?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Postgres outage while the API runs', () => {
  it('reports not-ready fast, fails calls fast with a clear error, and recovers on its own', async () => {
    expect((await fetch(`${api.baseUrl}/readyz`)).status).toBe(200);
    const { client } = await api.withKey('viewer');
    expect(await client.environments.list.query()).toHaveLength(4);

    await pg.stop();

    const down = await waitFor(
      () => fetch(`${api.baseUrl}/readyz`),
      (r) => r.status === 503,
      5_000,
    );
    expect(down.elapsedMs).toBeLessThan(5_000);
    // The public answer is generic; the driver's own words go to the log under the request id.
    expect(await down.value.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    const readyId = down.value.headers.get('x-request-id');
    const readyLog = logs.find((l) => l.requestId === readyId && l.err);
    expect((readyLog?.err as { message?: string } | undefined)?.message).toBeTruthy();

    const started = Date.now();
    const err = await client.environments.list.query().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(TRPCClientError);
    const trpcErr = err as TRPCClientError<never>;
    expect(trpcErr.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      appCode: 'DB_UNAVAILABLE',
      httpStatus: 503,
    });
    expect(trpcErr.message).toBe('The database is unavailable; try again shortly.');

    const infoRes = await fetch(`${api.baseUrl}/trpc/system.info`);
    const info = ((await infoRes.json()) as { result: { data: { json: SystemInfo } } }).result.data.json;
    expect(info.db).toEqual({ status: 'down', latencyMs: null, error: 'database unreachable' });
    expect(info.migrations).toBeNull();
    const infoLog = logs.find((l) => l.requestId === infoRes.headers.get('x-request-id') && l.err);
    expect((infoLog?.err as { message?: string } | undefined)?.message).toBeTruthy();

    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toContain('sextant_db_up 0');

    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, passwordFile });

    await waitFor(
      () => fetch(`${api.baseUrl}/readyz`),
      (r) => r.status === 200,
      10_000,
    );
    expect(await client.environments.list.query()).toHaveLength(4);
    expect((await api.client.system.info.query()).db.status).toBe('up');
  });
});
