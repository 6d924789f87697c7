import {
  bigserial,
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PING_KINDS } from '../enums';
import { monitorState, timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { serviceRef } from './services';

export const pingKindEnum = pgEnum('ping_kind', PING_KINDS);

/** Push monitors for cron jobs and workers: late beyond grace, or a /fail ping, means DOWN. */
export const heartbeats = pgTable(
  'heartbeats',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    environmentId: environmentRef('set null'),
    name: text().notNull(),
    /** SHA-256 (hex) of the ping URL's secret; the secret itself is shown once and never stored. */
    tokenHash: text().notNull(),
    /** The secret's first characters, so people can tell which URL a job uses. */
    tokenPrefix: text().notNull(),
    periodSeconds: integer(),
    cron: text(),
    timezone: text().notNull().default('UTC'),
    graceSeconds: integer().notNull().default(60),
    paused: boolean().notNull().default(false),
    ...monitorState(),
    lastPingAt: ts(),
    lastStartAt: ts(),
    lastDurationMs: integer(),
    /** When the next ping is expected; DOWN once now() passes it plus grace. */
    nextDueAt: ts(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('heartbeats_token_hash_idx').on(t.tokenHash),
    index('heartbeats_due_idx').on(t.nextDueAt),
  ],
);

/** A row about one heartbeat (pings, events); it goes when the heartbeat goes. */
export const heartbeatRef = () => uuid().references(() => heartbeats.id, { onDelete: 'cascade' });

export const heartbeatPings = pgTable(
  'heartbeat_pings',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    heartbeatId: heartbeatRef().notNull(),
    at: ts().notNull().defaultNow(),
    kind: pingKindEnum().notNull(),
    exitCode: integer(),
    durationMs: integer(),
    ip: text(),
  },
  (t) => [index('heartbeat_pings_hb_idx').on(t.heartbeatId, t.at)],
);
