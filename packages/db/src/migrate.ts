import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Sql } from './client';

/** Key of the session advisory lock that serialises migrations across instances ("sextant" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x73657874616e74n;

export function defaultMigrationsFolder(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../drizzle');
}

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export function readJournal(migrationsFolder: string): JournalEntry[] {
  const raw = readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8');
  return (JSON.parse(raw) as { entries: JournalEntry[] }).entries;
}

export interface MigrationResult {
  /** Migrations this call applied; 0 when another instance had already done it. */
  applied: number;
  total: number;
}

/**
 * Applies pending migrations while holding a session advisory lock, so several instances
 * starting together run them exactly once; the others wait, then find nothing to do.
 */
export async function runMigrations(
  url: string,
  migrationsFolder = defaultMigrationsFolder(),
): Promise<MigrationResult> {
  const journal = readJournal(migrationsFolder);
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: 'sextant:migrate' },
  });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    try {
      const before = await appliedCount(sql);
      await migrate(drizzle(sql), { migrationsFolder });
      const after = await appliedCount(sql);
      return { applied: after - before, total: journal.length };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function appliedCount(sql: Sql): Promise<number> {
  // Relation names are resolved at parse time, so probe for the table before reading it.
  const [probe] = await sql<
    { t: string | null }[]
  >`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
  if (!probe?.t) return 0;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

export interface MigrationStatus {
  applied: number;
  expected: number;
  current: boolean;
  /** Tag of the newest applied migration, e.g. `0000_foundation`. */
  level: string | null;
}

/**
 * Compares the database's migration table with the journal shipped with this build.
 * One round trip in the common case, so it doubles as the readiness ping.
 */
export async function migrationStatus(sql: Sql, journal: JournalEntry[]): Promise<MigrationStatus> {
  let row: { n: number; last: string | null };
  try {
    [row = { n: 0, last: null }] = await sql<{ n: number; last: string | null }[]>`
      select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations`;
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table: never migrated
    row = { n: 0, last: null };
  }
  const applied = row.n;
  const lastWhen = row.last ? Number(row.last) : null;
  const newest = journal.at(-1);
  const level = journal.find((e) => e.when === lastWhen)?.tag ?? null;
  return {
    applied,
    expected: journal.length,
    current: applied >= journal.length && (newest === undefined || lastWhen === newest.when),
    level,
  };
}
