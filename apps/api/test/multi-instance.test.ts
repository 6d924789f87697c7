import { readJournal } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import postgres from 'postgres';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { resolveMigrationsFolder } from '../src/database';
import { type ApiProcess, spawnApi } from './process';

const running: ApiProcess[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
});

describe('three API processes on one fresh database', () => {
  it('migrate exactly once, seed exactly once, and all serve', async () => {
    const databaseUrl = await createTestDatabase(inject('adminUrl'), { migrated: false });
    const apis = [1, 2, 3].map(() => spawnApi({ DATABASE_URL: databaseUrl }));
    running.push(...apis);
    const urls = await Promise.all(apis.map((a) => a.baseUrl));

    const journal = readJournal(resolveMigrationsFolder());
    const migrationLogs = apis.map((a) => a.logs.find((l) => String(l.msg).startsWith('migrations'))!);
    const appliers = migrationLogs.filter((l) => l.msg === 'migrations applied');
    expect(appliers).toHaveLength(1);
    expect(appliers[0]!.applied).toBe(journal.length);
    expect(migrationLogs.filter((l) => l.msg === 'migrations already current')).toHaveLength(2);

    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(row!.n).toBe(journal.length);
      const [envs] = await sql<{ n: number }[]>`select count(*)::int as n from environments`;
      expect(envs!.n).toBe(4);
    } finally {
      await sql.end();
    }

    for (const url of urls) {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const info = await fetch(`${url}/trpc/system.info`);
      expect(info.status).toBe(200);
    }

    for (const a of apis) a.child.kill('SIGTERM');
    expect(await Promise.all(apis.map((a) => a.exited))).toEqual([0, 0, 0]);
  });
});
