import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@sextant/db';
import { freePort } from '@sextant/db/testing';
import { TRPCClientError } from '@sextant/trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

// Its own cluster, because this test stops and restarts Postgres under a running API.
let dir: string;
let port: number;
let pg: EmbeddedPostgres;
let api: TestApi;

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
  pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port });
  api = await startTestApi({ DATABASE_URL: pg.url });
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
    expect(await client.system.environments.query()).toHaveLength(4);

    await pg.stop();

    const down = await waitFor(
      () => fetch(`${api.baseUrl}/readyz`),
      (r) => r.status === 503,
      5_000,
    );
    expect(down.elapsedMs).toBeLessThan(5_000);
    expect(((await down.value.json()) as { reason: string }).reason).toMatch(/database unreachable/);

    const started = Date.now();
    const err = await client.system.environments.query().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(TRPCClientError);
    const trpcErr = err as TRPCClientError<never>;
    expect(trpcErr.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      appCode: 'DB_UNAVAILABLE',
      httpStatus: 503,
    });
    expect(trpcErr.message).toBe('The database is unavailable; try again shortly.');

    const info = await api.client.system.info.query();
    expect(info.db.status).toBe('down');
    expect(info.migrations).toBeNull();

    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toContain('sextant_db_up 0');

    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port });

    await waitFor(
      () => fetch(`${api.baseUrl}/readyz`),
      (r) => r.status === 200,
      10_000,
    );
    expect(await client.system.environments.query()).toHaveLength(4);
    expect((await api.client.system.info.query()).db.status).toBe('up');
  });
});
