import { chmod, mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDatabaseUrl, startEmbeddedPostgres } from '../src/embedded';
import { freePort } from '../src/testing';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sextant-embedded-'));
  await chmod(dir, 0o755); // reachable by the postgres user the server runs as
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Connects with this password and runs one query; the error code when refused. */
async function tryPassword(port: number, password: string): Promise<string> {
  const sql = postgres({ host: '127.0.0.1', port, user: 'sextant', password, database: 'sextant', max: 1 });
  try {
    await sql`select 1`;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await sql.end();
  }
}

describe('embedded Postgres password', () => {
  it('is generated per install into a 0600 file, reused on the next start, and is what the console reads', async () => {
    const install = path.join(dir, 'fresh');
    const passwordFile = path.join(install, 'pg-password');
    const port = await freePort();
    let pg = await startEmbeddedPostgres({ dataDir: path.join(install, 'pg'), port, passwordFile });
    const password = (await readFile(passwordFile, 'utf8')).trim();
    try {
      expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
      expect(password).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      expect(await tryPassword(port, password)).toBe('ok');
      expect(await tryPassword(port, 'sextant')).toBe('28P01');
      expect(embeddedDatabaseUrl(port, passwordFile)).toBe(pg.url);
    } finally {
      await pg.stop();
    }
    pg = await startEmbeddedPostgres({ dataDir: path.join(install, 'pg'), port, passwordFile });
    try {
      expect((await readFile(passwordFile, 'utf8')).trim()).toBe(password);
      expect(await tryPassword(port, password)).toBe('ok');
    } finally {
      await pg.stop();
    }
  });

  it('an install from before per-install passwords (fixed "sextant", no file) is rotated and keeps its data', async () => {
    const install = path.join(dir, 'legacy');
    const passwordFile = path.join(install, 'pg-password');
    const dataDir = path.join(install, 'pg');
    const port = await freePort();
    // What the old code did: every cluster initialised with the password "sextant", nothing written down.
    await mkdir(install, { recursive: true });
    await writeFile(passwordFile, 'sextant');
    let pg = await startEmbeddedPostgres({ dataDir, port, passwordFile });
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    await sql`create table kept (v int)`;
    await sql`insert into kept values (42)`;
    await sql.end();
    await pg.stop();
    await unlink(passwordFile);

    pg = await startEmbeddedPostgres({ dataDir, port, passwordFile });
    try {
      const password = (await readFile(passwordFile, 'utf8')).trim();
      expect(password).not.toBe('sextant');
      expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
      expect(await tryPassword(port, password)).toBe('ok');
      expect(await tryPassword(port, 'sextant')).toBe('28P01');
      const after = postgres(pg.url, { max: 1 });
      expect(await after`select v from kept`).toEqual([{ v: 42 }]);
      await after.end();
    } finally {
      await pg.stop();
    }
  });
});

describe('embedded Postgres settings', () => {
  it('passes extra server settings to the server (a bench loads pg_stat_statements this way)', async () => {
    const install = path.join(dir, 'settings');
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(install, 'pg'),
      port: await freePort(),
      passwordFile: path.join(install, 'pg-password'),
      ephemeral: true,
      settings: { work_mem: '7MB', shared_preload_libraries: 'pg_stat_statements' },
    });
    const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      expect(await sql`select current_setting('work_mem') as v`).toEqual([{ v: '7MB' }]);
      await sql`create extension pg_stat_statements`;
      expect(await sql`select count(*) >= 0 as ok from pg_stat_statements`).toEqual([{ ok: true }]);
    } finally {
      await sql.end();
      await pg.stop();
    }
  });
});
