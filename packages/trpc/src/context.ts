import type { Actor, Db, MigrationStatus, Role, Sql } from '@sextant/db';
import type { ApiKeyCache } from './auth/key-cache';
import type { ProtectedPort } from './outbound/rules';
import type { FlagEvaluationCounter } from './services/flags/evaluation-counter';
import type { FlagSnapshotCache } from './services/flags/snapshot';
import type { SeriesLimits } from './services/metrics/limits';
import type { SendNotification } from './services/notify/message';
import type { StatusPageCache } from './services/status-page-cache';

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
  /** Sextant's own listening ports (API, console, Postgres), which checks may not reach on a local address. */
  protectedPorts?(): ProtectedPort[];
  /** Series limits every metrics write path applies (METRICS_MAX_SERIES_PER_*). */
  metricLimits: SeriesLimits;
  /** Sends through a receiver's integration under the outbound deny list (the API server's transports). */
  sendNotification?: SendNotification;
  /** The console's address (SEXTANT_PUBLIC_URL), for links in messages sent outside a tick (test sends). */
  publicUrl?: string;
  /** Built status pages, cleared by the database's NOTIFY; without it every view is built afresh. */
  statusPageCache?: StatusPageCache;
  /** Flag snapshots by environment, kept fresh by LISTEN sextant_flags; without it flags.evaluate reads afresh. */
  flagSnapshotCache?: FlagSnapshotCache;
  /** This instance's evaluation counts, flushed to the metric store by a job; without it nothing is counted. */
  flagEvaluations?: FlagEvaluationCounter;
  /** Verified API keys, kept while LISTEN sextant_api_keys holds; the flag evaluation edges use it. */
  apiKeyCache?: ApiKeyCache;
}

/** Who is calling: a signed-in person (browser session) or a machine (API key). */
export type Identity =
  | {
      type: 'user';
      userId: string;
      email: string;
      name: string | null;
      role: Role;
      sessionId: string;
      mustChangePassword: boolean;
    }
  | { type: 'api_key'; keyId: string; name: string; role: Role; createdBy: string };

export interface Context {
  db: Db;
  sql: Sql;
  requestId: string;
  ip: string | null;
  logger: Logger;
  runtime: Runtime;
  identity: Identity | null;
  /** Why credentials were presented but not accepted, for a precise UNAUTHORIZED message. */
  authError: string | null;
}

/** What a service needs to make an audited change: the database, and who asks, from where, for the audit row. */
export type ChangeContext = Pick<Context, 'db' | 'identity' | 'requestId' | 'ip'>;

export function actorOf(identity: Identity | null): Actor {
  if (!identity) return { type: 'system', id: null, label: 'anonymous' };
  return identity.type === 'user'
    ? { type: 'user', id: identity.userId, label: identity.email }
    : { type: 'api_key', id: identity.keyId, label: identity.name };
}
