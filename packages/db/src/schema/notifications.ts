import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  char,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AlertAnnotations } from '../alert-condition';
import { ATTEMPT_OUTCOMES, BREAKER_STATES, DELIVERY_STATES, INTEGRATION_KINDS } from '../enums';
import type {
  IntegrationDecision,
  IntegrationSettings,
  RouteNode,
  SuppressedAlert,
  TimeIntervalSpec,
} from '../notify-types';
import { timestamps, ts, uuidKey } from './columns';
import { users } from './identity';
import { statusPageSubscribers } from './status-pages';

export const integrationKindEnum = pgEnum('integration_kind', INTEGRATION_KINDS);
export const deliveryStateEnum = pgEnum('delivery_state', DELIVERY_STATES);
export const attemptOutcomeEnum = pgEnum('attempt_outcome', ATTEMPT_OUTCOMES);
export const breakerStateEnum = pgEnum('breaker_state', BREAKER_STATES);

/** A named destination routes point at; its integrations are where messages actually go. */
export const receivers = pgTable('receivers', {
  id: uuidKey(),
  name: text().notNull().unique(),
  description: text().notNull().default(''),
  ...timestamps(),
});

/**
 * One way a receiver is told (webhook, Slack, email, …). Each is independent: its own log entry, outbox rows,
 * retries and breaker (spec A8). Secrets (tokens, passwords, webhook URLs that are tokens) are AES-256-GCM
 * ciphertext in `secrets_enc`, never returned after saving; `secret_keys` names the ones set, for the form.
 */
export const receiverIntegrations = pgTable(
  'receiver_integrations',
  {
    id: uuidKey(),
    receiverId: uuid()
      .notNull()
      .references(() => receivers.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: integrationKindEnum().notNull(),
    sendResolved: boolean().notNull().default(true),
    settings: jsonb().$type<IntegrationSettings>().notNull(),
    secretsEnc: text(),
    secretKeys: jsonb().$type<string[]>().notNull().default([]),
    ...timestamps(),
  },
  (t) => [uniqueIndex('receiver_integrations_position_idx').on(t.receiverId, t.position)],
);

/** A named set of time specs routes mute on or are active in (spec A6 "Time intervals"). */
export const timeIntervals = pgTable('time_intervals', {
  id: uuidKey(),
  name: text().notNull().unique(),
  intervals: jsonb().$type<TimeIntervalSpec[]>().notNull(),
  ...timestamps(),
});

/** The routing tree (spec A4), one versioned document: saved whole, validated whole. */
export const routeTree = pgTable('route_tree', {
  id: text().primaryKey().default('default'),
  tree: jsonb().$type<RouteNode>().notNull(),
  version: integer().notNull().default(1),
  updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
  updatedAt: ts().notNull().defaultNow(),
});

/**
 * An aggregation group (spec A5): the alerts one route gathers under one set of group labels. Flushed at
 * `next_flush_at` by whichever instance claims it (SKIP LOCKED + lease); next = scheduled tick + group_interval.
 * `version` moves with every membership write, so a flush deletes an emptied group only if nothing joined since.
 */
export const alertGroups = pgTable(
  'alert_groups',
  {
    routeId: text().notNull(),
    /** AM's form, `{}/{team="db"}:{alertname="x"}`: route path matchers, then group labels. */
    groupKey: text().notNull(),
    groupLabels: jsonb().$type<Record<string, string>>().notNull(),
    /** The engine clock when the first alert joined. */
    createdAt: ts().notNull(),
    nextFlushAt: ts().notNull(),
    lastTickAt: ts(),
    leaseOwner: text(),
    leaseUntil: ts(),
    version: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.routeId, t.groupKey] }),
    index('alert_groups_next_flush_idx').on(t.nextFlushAt),
  ],
);

/**
 * An alert in a group, as the notifier sees it: a copy written with the alert's own write (engine slot or
 * /api/v2/alerts post), so a flush reads one table and a resolve outlives the alert instance's eviction.
 */
export const alertGroupMembers = pgTable(
  'alert_group_members',
  {
    routeId: text().notNull(),
    groupKey: text().notNull(),
    fingerprint: char({ length: 16 }).notNull(),
    /** alert_instances.id when the alert still exists (no foreign key: the member outlives it). */
    alertId: uuid(),
    ruleId: uuid(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    annotations: jsonb().$type<AlertAnnotations>().notNull().default({}),
    startsAt: ts().notNull(),
    /** Resolved at t iff ends_at <= t (spec A3.1); "valid until" while firing. */
    endsAt: ts(),
    generatorUrl: text(),
    /** The rule's value at the last write: a resolve carries the value at resolve time (pain point 10). */
    value: doublePrecision(),
    /** Engine clock of the last write: a resolved member changed during a flush is kept (spec A5.4). */
    updatedAt: ts().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.routeId, t.groupKey, t.fingerprint] }),
    foreignKey({
      columns: [t.routeId, t.groupKey],
      foreignColumns: [alertGroups.routeId, alertGroups.groupKey],
    }).onDelete('cascade'),
    index('alert_group_members_fingerprint_idx').on(t.fingerprint),
  ],
);

/**
 * What each integration was told about each group (spec A7), written in the same transaction as the outbox row
 * it decides: `tick_at` is the tick of the last notification (the repeat clock, so 4 h stays 4 h).
 */
export const notificationLog = pgTable(
  'notification_log',
  {
    routeId: text().notNull(),
    groupKey: text().notNull(),
    receiverId: uuid().notNull(),
    integrationId: uuid()
      .notNull()
      .references(() => receiverIntegrations.id, { onDelete: 'cascade' }),
    firing: jsonb().$type<string[]>().notNull(),
    resolved: jsonb().$type<string[]>().notNull(),
    tickAt: ts().notNull(),
    /** Strictly increasing per (group, integration): every message carries it. */
    sequence: integer().notNull(),
    /** What the remote gave back for later messages (e.g. a thread id), stored on delivery. */
    receiverData: jsonb().$type<Record<string, unknown>>(),
    expiresAt: ts().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.routeId, t.groupKey, t.receiverId, t.integrationId] }),
    index('notification_log_expires_idx').on(t.expiresAt),
  ],
);

/** Every flush of every group: the decision per integration and why, for the Notifications page. */
export const notificationTicks = pgTable(
  'notification_ticks',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    routeId: text().notNull(),
    groupKey: text().notNull(),
    groupLabels: jsonb().$type<Record<string, string>>().notNull(),
    receiverId: uuid(),
    tickAt: ts().notNull(),
    firing: jsonb().$type<string[]>().notNull(),
    resolved: jsonb().$type<string[]>().notNull(),
    suppressed: jsonb().$type<SuppressedAlert[]>().notNull().default([]),
    decisions: jsonb().$type<IntegrationDecision[]>().notNull().default([]),
    /** Every fingerprint the tick looked at (firing, resolved, suppressed): "where did this alert's messages go". */
    fingerprints: text().array().notNull(),
  },
  (t) => [
    index('notification_ticks_tick_idx').on(t.tickAt),
    index('notification_ticks_group_idx').on(t.routeId, t.groupKey, t.tickAt),
    index('notification_ticks_fingerprints_idx').using('gin', t.fingerprints),
  ],
);

/**
 * A message to deliver (spec A9). The UNIQUE idempotency key = hash(group key, receiver, integration, tick), so
 * two instances computing the same tick cannot both enqueue. Delivery workers lease rows (SKIP LOCKED); at most one
 * row per (group, integration) is in flight; a newer unclaimed row supersedes an older one.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: uuidKey(),
    idempotencyKey: text().notNull().unique(),
    routeId: text().notNull(),
    groupKey: text().notNull(),
    /** Null for a status page subscriber's row. */
    receiverId: uuid(),
    /** Exactly one of integration_id and subscriber_id is set. */
    integrationId: uuid().references(() => receiverIntegrations.id, { onDelete: 'cascade' }),
    subscriberId: uuid().references(() => statusPageSubscribers.id, { onDelete: 'cascade' }),
    tickAt: ts().notNull(),
    sequence: integer().notNull(),
    /** The message without secrets (message.ts' NotificationMessage, or status-notice.ts' StatusNotice). */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Breaker and rate-limit key: URL origin, or smtp://host:port. */
    endpoint: text().notNull(),
    state: deliveryStateEnum().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: ts().notNull(),
    leaseOwner: text(),
    leaseUntil: ts(),
    /** The engine clock at enqueue: max age (24 h) counts from here. */
    createdAt: ts().notNull(),
    /** The console's last "retry now" of a dead row: its new max-age window counts from here. */
    retriedAt: ts(),
    deliveredAt: ts(),
    deadAt: ts(),
    lastStatus: integer(),
    lastError: text(),
  },
  (t) => [
    index('notification_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    // Claims walk the endpoints with pending rows and take each one's oldest due heads (outbox-reads.ts).
    index('notification_outbox_endpoint_due_idx')
      .on(t.endpoint, t.nextAttemptAt, t.createdAt, t.sequence)
      .where(sql`${t.state} = 'pending'`),
    index('notification_outbox_group_idx').on(t.routeId, t.groupKey, t.integrationId, t.createdAt),
    index('notification_outbox_state_idx').on(t.state, t.createdAt),
    // A subscriber's notices go one at a time, oldest first; also the cascade's path when a subscriber goes.
    index('notification_outbox_subscriber_idx')
      .on(t.subscriberId, t.createdAt)
      .where(sql`${t.subscriberId} is not null`),
    check('notification_outbox_one_target', sql`(${t.integrationId} is null) <> (${t.subscriberId} is null)`),
  ],
);

/** Every send attempt of an outbox row: what the remote answered (status, never its body) and how it was classed. */
export const notificationAttempts = pgTable(
  'notification_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    outboxId: uuid()
      .notNull()
      .references(() => notificationOutbox.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    at: ts().notNull(),
    durationMs: doublePrecision(),
    outcome: attemptOutcomeEnum().notNull(),
    status: integer(),
    error: text(),
    retryAfterMs: integer(),
    instance: text(),
  },
  (t) => [index('notification_attempts_outbox_idx').on(t.outboxId, t.attempt)],
);

/**
 * One circuit breaker and rate limiter per endpoint, shared through Postgres (spec A8): open after 5 consecutive
 * failures (or more than half of the last 20), open 30 s doubling to 10 min, one half-open probe claimed by one
 * instance (`probe_owner` + `probe_until`).
 */
export const endpointBreakers = pgTable('endpoint_breakers', {
  endpoint: text().primaryKey(),
  state: breakerStateEnum().notNull().default('closed'),
  consecutiveFailures: integer().notNull().default(0),
  /** The last 20 outcomes, newest last (true = success). */
  recent: jsonb().$type<boolean[]>().notNull().default([]),
  openedAt: ts(),
  openUntil: ts(),
  openWindowMs: integer().notNull().default(30_000),
  probeOwner: text(),
  probeUntil: ts(),
  /** Token bucket of the per-endpoint rate limit. */
  tokens: doublePrecision().notNull().default(0),
  tokensAt: ts(),
  updatedAt: ts().notNull().defaultNow(),
});
