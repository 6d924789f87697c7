import type { Db, MigrationStatus, Sql } from '@sextant/db';

/** The slice of pino the procedures use; keeps this package free of the server framework. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Process-wide facts and probes the API server hands to every request. */
export interface Runtime {
  version: string;
  startedAt: Date;
  /** One database round trip reading the migration level; rejects when Postgres is unreachable. */
  checkDatabase(): Promise<MigrationStatus>;
}

export interface Context {
  db: Db;
  sql: Sql;
  requestId: string;
  logger: Logger;
  runtime: Runtime;
}

export type CreateContextOptions = Context;

export function createContext(options: CreateContextOptions): Context {
  return options;
}
