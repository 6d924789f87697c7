import { type PgInsertValue, type PgTable, withReplicas } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export interface PoolOptions {
  /** Maximum open connections per process. */
  max: number;
  /** Server-side statement_timeout in ms; 0 disables it. */
  statementTimeoutMs: number;
  /** Close a connection after this many idle seconds. */
  idleTimeoutS: number;
  /** Give up connecting after this many seconds, so calls fail fast while Postgres is down. */
  connectTimeoutS: number;
  /** Shows up in pg_stat_activity; the pool metrics filter on it. */
  applicationName: string;
}

export const defaultPoolOptions: PoolOptions = {
  max: 10,
  statementTimeoutMs: 15_000,
  idleTimeoutS: 60,
  connectTimeoutS: 3,
  applicationName: 'sextant',
};

export function createSql(url: string, options: Partial<PoolOptions> = {}) {
  const o = { ...defaultPoolOptions, ...options };
  return postgres(url, {
    max: o.max,
    idle_timeout: o.idleTimeoutS,
    connect_timeout: o.connectTimeoutS,
    onnotice: () => {},
    connection: {
      application_name: o.applicationName,
      ...(o.statementTimeoutMs > 0 ? { statement_timeout: o.statementTimeoutMs } : {}),
    },
  });
}

export type Sql = ReturnType<typeof createSql>;
type SqlTypes = Sql extends postgres.Sql<infer T> ? T : never;
/** postgres.js queries on the pool or inside `sql.begin` (a TransactionSql is no Sql, but both are ISql). */
export type Queries = postgres.ISql<SqlTypes>;

/** postgres.js' own timestamp OIDs (date, timestamp, timestamptz). */
const TIMESTAMP_TYPES = [1082, 1114, 1184];

/**
 * Drizzle swaps the client's timestamp parsers and serializers for pass-throughs; we put postgres.js'
 * own back so raw `sql` queries keep taking and returning Date objects (Drizzle handles both).
 */
function drizzleFor(sql: Sql) {
  const parsers = { ...sql.options.parsers };
  const serializers = { ...sql.options.serializers };
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  for (const t of TIMESTAMP_TYPES) {
    if (parsers[t]) sql.options.parsers[t] = parsers[t];
    if (serializers[t]) sql.options.serializers[t] = serializers[t];
  }
  return db;
}

export type Db = ReturnType<typeof drizzleFor>;

export interface Database {
  /** Reads go to the replica when one is configured; writes and transactions always hit the primary. */
  db: Db;
  /** Always the primary, for reads that must see the latest write. */
  primary: Db;
  sql: Sql;
  replicaSql: Sql | null;
  close(timeoutS?: number): Promise<void>;
}

export function createDatabase(
  url: string,
  options: Partial<PoolOptions> & { replicaUrl?: string } = {},
): Database {
  const sql = createSql(url, options);
  const primary = drizzleFor(sql);
  const replicaSql = options.replicaUrl
    ? createSql(options.replicaUrl, {
        ...options,
        applicationName: `${options.applicationName ?? 'sextant'}:replica`,
      })
    : null;
  const db = replicaSql ? (withReplicas(primary, [drizzleFor(replicaSql)]) as unknown as Db) : primary;
  return {
    db,
    primary,
    sql,
    replicaSql,
    async close(timeoutS = 5) {
      await Promise.all([sql.end({ timeout: timeoutS }), replicaSql?.end({ timeout: timeoutS })]);
    },
  };
}

/** A database handle or an open transaction: helpers that must join the caller's transaction take this. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** Either kind of handle a write may join: Drizzle's (the services) or postgres.js' (the bulk and job paths). */
export type Writer = DbOrTx | Queries;

/** Builds Drizzle statements without a connection, to run them on a postgres.js transaction. */
const offline = drizzle.mock({ casing: 'snake_case' });

/** Runs one Drizzle-built insert on either kind of handle, so a row's writer needs no second raw-SQL copy. */
export async function insertRows<T extends PgTable>(
  on: Writer,
  table: T,
  rows: PgInsertValue<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  if (typeof on === 'function') {
    const q = offline.insert(table).values(rows).toSQL();
    await on.unsafe(q.sql, q.params as never[]);
  } else {
    await on.insert(table).values(rows);
  }
}
