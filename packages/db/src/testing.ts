import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureDatabaseExists, startEmbeddedPostgres } from './embedded';
import { runMigrations } from './migrate';

/** A free TCP port on 127.0.0.1, picked by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const TEMPLATE = 'sextant_template';

export interface TestCluster {
  /** URL of the maintenance database, used to create and drop per-test databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A throwaway Postgres for one test run: `DATABASE_URL` when given, otherwise an embedded
 * cluster in a temp folder (with the given server settings). A migrated template database makes per-test copies cheap.
 */
export async function startTestCluster(
  options: { settings?: Record<string, string> } = {},
): Promise<TestCluster> {
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let adminUrl: string;
  let stop = async () => {};
  if (external) {
    adminUrl = external;
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), 'sextant-test-'));
    await chmod(dir, 0o755); // mkdtemp makes it private; the postgres user must reach the data folder inside
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port: await freePort(),
      ephemeral: true,
      passwordFile: path.join(dir, 'pg-password'),
      settings: options.settings,
    });
    adminUrl = pg.urlFor('postgres');
    stop = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  await ensureDatabaseExists(adminUrl, TEMPLATE);
  await runMigrations(withDatabase(adminUrl, TEMPLATE));
  return { adminUrl, stop };
}

/**
 * The vitest global setup of every package with database tests (`globalSetup: ['@sextant/db/testing']`): one
 * throwaway cluster per run; each test takes its own database from `inject('adminUrl')`.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startTestCluster();
  project.provide('adminUrl', cluster.adminUrl);
  return () => cluster.stop();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database copied from the template; one per test keeps tests independent. */
export async function createTestDatabase(
  adminUrl: string,
  options: { migrated?: boolean } = {},
): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabaseExists(adminUrl, name, options.migrated === false ? undefined : TEMPLATE);
  return withDatabase(adminUrl, name);
}
