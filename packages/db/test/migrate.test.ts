import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../src/client';
import { defaultMigrationsFolder, migrationStatus, readJournal, runMigrations } from '../src/migrate';
import { seedOnFirstRun } from '../src/seed';
import { createTestDatabase } from '../src/testing';

const journal = readJournal(defaultMigrationsFolder());

describe('runMigrations', () => {
  it('applies every migration exactly once when several instances race', async () => {
    const url = await createTestDatabase(inject('adminUrl'), { migrated: false });
    const results = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    expect(results.map((r) => r.applied).sort()).toEqual([0, 0, journal.length]);
    const sql = postgres(url, { max: 1 });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(row!.n).toBe(journal.length);
    } finally {
      await sql.end();
    }
  });

  it('reports status before and after migrating', async () => {
    const url = await createTestDatabase(inject('adminUrl'), { migrated: false });
    const db = createDatabase(url, { max: 1 });
    try {
      expect(await migrationStatus(db.sql, journal)).toEqual({
        applied: 0,
        expected: journal.length,
        current: false,
        level: null,
      });
      await runMigrations(url);
      expect(await migrationStatus(db.sql, journal)).toEqual({
        applied: journal.length,
        expected: journal.length,
        current: true,
        level: journal.at(-1)!.tag,
      });
    } finally {
      await db.close();
    }
  });
});

describe('seedOnFirstRun', () => {
  it('seeds once even when started concurrently, and never again', async () => {
    const url = await createTestDatabase(inject('adminUrl'));
    const db = createDatabase(url, { max: 4 });
    try {
      const results = await Promise.all([1, 2, 3].map(() => seedOnFirstRun(db.primary)));
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      expect((await seedOnFirstRun(db.primary)).seeded).toBe(false);
      const envs = await db.db.query.environments.findMany({ orderBy: (e, { asc }) => asc(e.position) });
      expect(envs.map((e) => e.name)).toEqual(['DEV', 'FAT', 'UAT', 'PRO']);
    } finally {
      await db.close();
    }
  });

  it("gives the seeded self-check its default alert rule, on the engine's schedule", async () => {
    const url = await createTestDatabase(inject('adminUrl'));
    const db = createDatabase(url, { max: 1 });
    try {
      await seedOnFirstRun(db.primary, { selfCheckUrl: async () => 'http://127.0.0.1:4000/readyz' });
      const [check] = await db.sql<{ id: string }[]>`select id from checks where name = 'readiness'`;
      const rules = await db.sql<{ id: string; name: string; condition: unknown; enabled: boolean }[]>`
        select id, name, condition, enabled from alert_rules where default_for_check_id = ${check!.id}`;
      expect(rules).toEqual([
        {
          id: expect.any(String),
          name: 'readiness down',
          condition: {
            kind: 'monitor',
            target: { type: 'check', id: check!.id },
            statuses: ['down'],
            runs: 2,
          },
          enabled: true,
        },
      ]);
      const [slot] =
        await db.sql`select next_eval_at from alert_rule_schedule where rule_id = ${rules[0]!.id}`;
      expect(slot!.next_eval_at).toBeInstanceOf(Date);
    } finally {
      await db.close();
    }
  });

  it('environment names are unique regardless of case', async () => {
    const url = await createTestDatabase(inject('adminUrl'));
    const db = createDatabase(url, { max: 1 });
    try {
      await seedOnFirstRun(db.primary);
      await expect(db.sql`insert into environments (name, position) values ('dev', 9)`).rejects.toMatchObject(
        {
          code: '23505',
        },
      );
    } finally {
      await db.close();
    }
  });
});

describe('migration 0012 (outbound allow entry for the self-check)', () => {
  it('gives an install seeded before loopback was refused an audited allow entry for its own /readyz', async () => {
    // The migrations as they were before 0012, applied to a fresh database.
    const older = mkdtempSync(path.join(tmpdir(), 'sextant-migrations-'));
    cpSync(defaultMigrationsFolder(), older, { recursive: true });
    const journalFile = path.join(older, 'meta', '_journal.json');
    const full = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    const cut = full.entries.findIndex((e) => e.tag.startsWith('0012_'));
    writeFileSync(journalFile, JSON.stringify({ ...full, entries: full.entries.slice(0, cut) }));
    const url = await createTestDatabase(inject('adminUrl'), { migrated: false });
    await runMigrations(url, older);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // What the old seed left behind: the self-service with its readiness check, and no outbound settings.
      const [env] = await sql<
        { id: string }[]
      >`insert into environments (name, position) values ('PRO', 0) returning id`;
      const [svc] = await sql<{ id: string }[]>`
        insert into services (name, slug) values ('Sextant API', 'sextant-api') returning id`;
      await sql`
        insert into checks (service_id, environment_id, name, kind, config, interval_seconds, phase_offset_ms, next_run_at)
        values (${svc!.id}, ${env!.id}, 'readiness', 'http', ${sql.json({ url: 'http://127.0.0.1:4000/readyz' })}, 30, 0, now())`;
      await runMigrations(url);
      const [allow] = await sql<
        { value: string[] }[]
      >`select value from settings where key = 'probe.allow_networks'`;
      expect(allow!.value).toEqual(['127.0.0.1:4000']);
      const [audit] = await sql<{ action: string; diff: unknown }[]>`
        select action, diff from audit_log where target_id = 'probe.allow_networks'`;
      expect(audit).toEqual({
        action: 'settings.outbound',
        diff: { before: { allow: [] }, after: { allow: ['127.0.0.1:4000'] } },
      });
    } finally {
      await sql.end();
      rmSync(older, { recursive: true, force: true });
    }
  });
});

describe('statement timeout', () => {
  it('cancels a query that runs past the configured limit', async () => {
    const url = await createTestDatabase(inject('adminUrl'));
    const db = createDatabase(url, { max: 1, statementTimeoutMs: 200 });
    try {
      await expect(db.sql`select pg_sleep(2)`).rejects.toMatchObject({ code: '57014' });
    } finally {
      await db.close();
    }
  });
});
