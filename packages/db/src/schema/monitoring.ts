import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CheckConfig } from '../check-config';
import { CHECK_KINDS, MONITOR_STATUSES, PING_KINDS, SERVICE_TIERS } from '../enums';
import { environments } from './environments';
import { apiKeys, users } from './identity';

const ts = () => timestamp({ withTimezone: true });

export const tierEnum = pgEnum('service_tier', SERVICE_TIERS);
export const checkKindEnum = pgEnum('check_kind', CHECK_KINDS);
export const monitorStatusEnum = pgEnum('monitor_status', MONITOR_STATUSES);
export const pingKindEnum = pgEnum('ping_kind', PING_KINDS);

/** A thing a team runs; renames keep its id, so history follows it. */
export const services = pgTable(
  'services',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull(),
    description: text(),
    owner: text(),
    tier: tierEnum().notNull().default('standard'),
    repositoryUrl: text(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Shown on the public status page (name, state and uptime only). */
    isPublic: boolean().notNull().default(false),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('services_name_lower_idx').on(sql`lower(${t.name})`),
    uniqueIndex('services_slug_idx').on(t.slug),
  ],
);

/** An active probe of one service in one environment, with its schedule and current state. */
export const checks = pgTable(
  'checks',
  {
    id: uuid().primaryKey().defaultRandom(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: 'restrict' }),
    name: text().notNull(),
    kind: checkKindEnum().notNull(),
    /** Kind-specific settings (URL, method, headers, assertions / host, port), validated by the router. */
    config: jsonb().$type<CheckConfig>().notNull(),
    intervalSeconds: integer().notNull(),
    timeoutMs: integer().notNull().default(10_000),
    failureThreshold: integer().notNull().default(2),
    successThreshold: integer().notNull().default(1),
    latencyThresholdMs: integer(),
    paused: boolean().notNull().default(false),
    // Scheduling: slots are epoch-aligned plus a stable per-check offset, so restarts keep each check's phase.
    phaseOffsetMs: integer().notNull(),
    nextRunAt: ts().notNull(),
    leaseOwner: text(),
    leaseUntil: ts(),
    // Current state, maintained by the scheduler.
    status: monitorStatusEnum().notNull().default('unknown'),
    statusSince: ts().notNull().defaultNow(),
    consecutiveFailures: integer().notNull().default(0),
    consecutiveSuccesses: integer().notNull().default(0),
    lastRunAt: ts(),
    lastLatencyMs: doublePrecision(),
    lastError: text(),
    tlsExpiresAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('checks_due_idx').on(t.nextRunAt).where(sql`not ${t.paused}`),
    index('checks_service_idx').on(t.serviceId),
  ],
);

/** One row per run; kept for RESULTS_RETENTION_DAYS, summarised hourly into check_rollups_hourly. */
export const checkResults = pgTable(
  'check_results',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    checkId: uuid()
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    /** The slot this run was planned for; unique per check, so no slot runs twice. */
    scheduledAt: ts().notNull(),
    startedAt: ts().notNull(),
    ok: boolean().notNull(),
    degraded: boolean().notNull().default(false),
    latencyMs: doublePrecision(),
    httpStatus: integer(),
    errorClass: text(),
    message: text(),
    instance: text(),
  },
  (t) => [
    uniqueIndex('check_results_slot_idx').on(t.checkId, t.scheduledAt),
    index('check_results_started_idx').on(t.startedAt),
  ],
);

/** State changes (UP → DOWN → UP …) with their cause; uptime is computed from these, time-weighted. */
export const monitorEvents = pgTable(
  'monitor_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    checkId: uuid().references(() => checks.id, { onDelete: 'cascade' }),
    heartbeatId: uuid().references(() => heartbeats.id, { onDelete: 'cascade' }),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    at: ts().notNull().defaultNow(),
    fromStatus: monitorStatusEnum().notNull(),
    toStatus: monitorStatusEnum().notNull(),
    cause: text(),
    /** How long the previous state lasted. */
    previousDurationMs: integer(),
  },
  (t) => [
    index('monitor_events_check_idx').on(t.checkId, t.at),
    index('monitor_events_heartbeat_idx').on(t.heartbeatId, t.at),
    index('monitor_events_service_idx').on(t.serviceId, t.at),
  ],
);

/** Hourly summary of check results, kept 400 days; charts over 24 h and longer read these. */
export const checkRollupsHourly = pgTable(
  'check_rollups_hourly',
  {
    checkId: uuid()
      .notNull()
      .references(() => checks.id, { onDelete: 'cascade' }),
    hour: ts().notNull(),
    count: integer().notNull(),
    failures: integer().notNull(),
    latencyP50: doublePrecision('latency_p50'),
    latencyP95: doublePrecision('latency_p95'),
    latencyP99: doublePrecision('latency_p99'),
    latencyMin: doublePrecision(),
    latencyMax: doublePrecision(),
  },
  (t) => [primaryKey({ columns: [t.checkId, t.hour] })],
);

/** Push monitors for cron jobs and workers: late beyond grace, or a /fail ping, means DOWN. */
export const heartbeats = pgTable(
  'heartbeats',
  {
    id: uuid().primaryKey().defaultRandom(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    environmentId: uuid().references(() => environments.id, { onDelete: 'set null' }),
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
    status: monitorStatusEnum().notNull().default('unknown'),
    statusSince: ts().notNull().defaultNow(),
    lastPingAt: ts(),
    lastStartAt: ts(),
    lastDurationMs: integer(),
    /** When the next ping is expected; DOWN once now() passes it plus grace. */
    nextDueAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('heartbeats_token_hash_idx').on(t.tokenHash),
    index('heartbeats_due_idx').on(t.nextDueAt),
  ],
);

export const heartbeatPings = pgTable(
  'heartbeat_pings',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    heartbeatId: uuid()
      .notNull()
      .references(() => heartbeats.id, { onDelete: 'cascade' }),
    at: ts().notNull().defaultNow(),
    kind: pingKindEnum().notNull(),
    exitCode: integer(),
    durationMs: integer(),
    ip: text(),
  },
  (t) => [index('heartbeat_pings_hb_idx').on(t.heartbeatId, t.at)],
);

/** Live instances registered by developers' services; they vanish when their TTL lapses. */
export const instances = pgTable(
  'instances',
  {
    id: uuid().primaryKey().defaultRandom(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    host: text().notNull(),
    port: integer().notNull(),
    version: text(),
    metadata: jsonb().$type<Record<string, string>>().notNull().default({}),
    ttlSeconds: integer().notNull().default(30),
    registeredAt: ts().notNull().defaultNow(),
    lastHeartbeatAt: ts().notNull().defaultNow(),
    expiresAt: ts().notNull(),
    registeredByKey: uuid().references(() => apiKeys.id, { onDelete: 'set null' }),
    registeredByUser: text().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('instances_identity_idx').on(t.serviceId, t.environmentId, t.host, t.port),
    index('instances_expiry_idx').on(t.expiresAt),
  ],
);

/** Admin settings, e.g. the networks no probe may reach. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  /** Every key in SETTINGS_KEYS holds a list of entries. */
  value: jsonb().$type<string[]>().notNull(),
  updatedAt: ts().notNull().defaultNow(),
});
