import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closedPort } from '../probe/servers';
import { type ApiProcess, spawnApi } from '../process';
import { insertCheck, until } from './fixtures';

let api: ApiProcess;
let db: Database;
let target: Server;
let targetUrl: string;

beforeAll(async () => {
  target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  const databaseUrl = await createTestDatabase(inject('adminUrl'));
  db = createDatabase(databaseUrl, { max: 2 });
  // A fixed port, so the first run seeds the self-check of its own /readyz.
  api = spawnApi({
    DATABASE_URL: databaseUrl,
    API_PORT: String(await closedPort()),
    AUTH_SECRET: 'outbound-secret-outbound-secret-outbound',
    CHECKS_POLL_MS: '50',
    SEXTANT_SELF_SCRAPE_SECONDS: '0',
  });
  await api.baseUrl;
});
afterAll(async () => {
  api?.child.kill('SIGTERM');
  await api?.exited;
  target?.close();
  await db?.close();
});

describe('outbound policy of a fresh install', () => {
  it('refuses loopback targets with the reason, while the seeded self-check of /readyz stays up', async () => {
    const { id } = await insertCheck(db, { url: targetUrl, timeoutMs: 1_000 });
    const [result] = await until(
      () =>
        db.sql<{ ok: boolean; error_class: string | null; message: string | null }[]>`
          select ok, error_class, message from check_results where check_id = ${id} limit 1`,
      (rows) => rows.length > 0,
      15_000,
    );
    expect(result).toMatchObject({ ok: false, error_class: 'denied' });
    expect(result!.message).toMatch(/^127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(loopback\)/);
    expect(result!.message).toContain('an admin can allow it under Settings → Outbound');

    const self = await until(
      () =>
        db.sql<{ status: string; last_error: string | null }[]>`
          select c.status, c.last_error from checks c join services s on s.id = c.service_id
          where s.slug = 'sextant-api'`,
      (rows) => rows[0]?.status === 'up',
      15_000,
    );
    expect(self[0]!.last_error).toBeNull();

    // The self-check's allow entry names exactly the API's address and port, and the seed recorded it.
    const [allow] = await db.sql<{ value: string[] }[]>`
      select value from settings where key = 'probe.allow_networks'`;
    expect(allow!.value).toEqual([`127.0.0.1:${new URL(await api.baseUrl).port}`]);
    const [audited] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'settings.outbound' and actor_label = 'first-run seed'`;
    expect(audited!.n).toBe(1);
  });
});
