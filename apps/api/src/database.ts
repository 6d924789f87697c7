import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDatabase,
  type Database,
  defaultMigrationsFolder,
  migrationStatus,
  readJournal,
  runMigrations,
  seedOnFirstRun,
  startEmbeddedPostgres,
  writeSecretFile,
} from '@sextant/db';
import {
  ApiKeyCache,
  FlagSnapshotCache,
  type Runtime,
  type SeriesLimits,
  StatusPageCache,
} from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { outboundLoader } from './monitoring';
import { ensureMetricPartitions } from './monitoring/metrics-jobs';
import { createSendNotification } from './notify';
import { NOTIFY_MAX_BODY_BYTES } from './notify/http';
import { withTimeout } from './timeout';

export interface OpenDatabase {
  database: Database;
  url: string;
  embedded: boolean;
  migrationsFolder: string;
  applicationName: string;
  /** Closes the pool, then stops the embedded cluster if this process started it. */
  close(): Promise<void>;
}

/** The bundled server ships migrations next to itself; from source they live in packages/db. */
export function resolveMigrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'dist' ? path.join(here, 'drizzle') : defaultMigrationsFolder();
}

export async function openDatabase(config: Config, log: FastifyBaseLogger): Promise<OpenDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    log.info({ dataDir: config.pgDataDir, port: config.SEXTANT_PG_PORT }, 'starting embedded Postgres');
    const pg = await startEmbeddedPostgres({
      dataDir: config.pgDataDir,
      port: config.SEXTANT_PG_PORT,
      onLog: (line) => log.debug({ component: 'postgres' }, line),
    });
    url = pg.url;
    stopEmbedded = pg.stop;
  }
  const migrationsFolder = resolveMigrationsFolder();
  try {
    const result = await runMigrations(url, migrationsFolder);
    log.info(result, result.applied > 0 ? 'migrations applied' : 'migrations already current');
  } catch (err) {
    await stopEmbedded?.();
    throw err;
  }
  const applicationName = `sextant-api:${hostname()}:${process.pid}`;
  const database = createDatabase(url, {
    replicaUrl: config.DATABASE_REPLICA_URL,
    max: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleTimeoutS: config.DB_IDLE_TIMEOUT_S,
    connectTimeoutS: config.DB_CONNECT_TIMEOUT_S,
    applicationName,
  });
  // Ingest needs today's partitions before the first request; the hourly job keeps them ahead.
  await ensureMetricPartitions(database.sql);
  if (config.SEXTANT_SEED) {
    const { seeded, admin } = await seedOnFirstRun(database.primary, {
      adminEmail: config.SEXTANT_ADMIN_EMAIL,
      adminPassword: config.SEXTANT_ADMIN_PASSWORD,
      // Port 0 (tests) has no known address yet; such runs skip self-monitoring.
      selfCheckUrl: async () =>
        config.API_PORT > 0
          ? `http://${await selfCheckHost(config.API_HOST)}:${config.API_PORT}/readyz`
          : undefined,
    });
    if (seeded) log.info({ admin: admin?.email }, 'first run: default data seeded');
    if (admin?.password) {
      // On the terminal (never in the JSON log) and in a file only this user can read; changed at first sign-in.
      const file = path.join(config.stateDir, 'first-admin-password');
      writeSecretFile(file, admin.password);
      console.log(
        `\n  First admin sign-in:  ${admin.email}  /  ${admin.password}\n  (shown once, and kept in ${file}, readable only by you; you will be asked to change it)\n`,
      );
    }
  }
  return {
    database,
    url,
    embedded: stopEmbedded !== null,
    migrationsFolder,
    applicationName,
    async close() {
      await database.close();
      await stopEmbedded?.();
    },
  };
}

/** Probes used by /readyz and system.info; short timeouts so a dead database is reported, not waited on. */
export function createRuntime(
  db: OpenDatabase,
  version: string,
  options: {
    metricLimits: SeriesLimits;
    timeoutMs?: number;
    protectedPorts?: Runtime['protectedPorts'];
    publicUrl?: string;
    logger?: Pick<FastifyBaseLogger, 'warn'>;
  },
): Runtime {
  const journal = readJournal(db.migrationsFolder);
  const runtime: Runtime = {
    version,
    startedAt: new Date(),
    metricLimits: options.metricLimits,
    checkDatabase: () =>
      withTimeout(migrationStatus(db.database.sql, journal), options.timeoutMs ?? 2_000, 'database check'),
    ...(options.protectedPorts ? { protectedPorts: options.protectedPorts } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    // Notifications go through the checks' deny list (and Sextant's own ports stay refused).
    sendNotification: createSendNotification(
      outboundLoader(db.database.primary, () => options.protectedPorts?.() ?? [], NOTIFY_MAX_BODY_BYTES),
    ),
  };
  // Status pages are kept only once this instance hears the database's change notifications.
  const cache = new StatusPageCache();
  runtime.statusPageCache = cache;
  cache
    .listen(db.database.sql)
    .catch((err: unknown) => options.logger?.warn({ err }, 'status pages served uncached: LISTEN failed'));
  // One flag snapshot cache per instance: flags.evaluate reads it; NOTIFY sextant_flags keeps it fresh (req. 12).
  // The primary: a NOTIFY announces a commit a replica may not have replayed yet.
  const flags = new FlagSnapshotCache(db.database.primary);
  runtime.flagSnapshotCache = flags;
  flags
    .listen(db.database.sql)
    .catch((err: unknown) => options.logger?.warn({ err }, 'flag snapshots read uncached: LISTEN failed'));
  // Verified API keys for the evaluation edges, kept only while NOTIFY sextant_api_keys can empty them.
  const keys = new ApiKeyCache();
  runtime.apiKeyCache = keys;
  keys
    .listen(db.database.sql)
    .catch((err: unknown) => options.logger?.warn({ err }, 'API keys checked uncached: LISTEN failed'));
  return runtime;
}

/** The API's own address as an IP literal, so the seeded self-check gets an exact outbound allow entry. */
async function selfCheckHost(apiHost: string): Promise<string> {
  if (apiHost === '0.0.0.0' || apiHost === '::') return '127.0.0.1';
  const address = isIP(apiHost)
    ? apiHost
    : (await lookup(apiHost).catch(() => ({ address: '127.0.0.1' }))).address;
  return address.includes(':') ? `[${address}]` : address;
}
