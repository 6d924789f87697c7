import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  char,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AlertAnnotations, AlertCondition, ConditionMatcher } from '../alert-condition';
import {
  ALERT_RULE_KINDS,
  ALERT_SOURCES,
  ALERT_STATES,
  ERROR_POLICIES,
  NO_DATA_POLICIES,
  RULE_HEALTHS,
} from '../enums';
import { checkRef } from './checks';
import { timestamps, ts, uuidKey } from './columns';
import { users } from './identity';
import { services } from './services';

export const alertRuleKindEnum = pgEnum('alert_rule_kind', ALERT_RULE_KINDS);
export const alertStateEnum = pgEnum('alert_state', ALERT_STATES);
export const alertSourceEnum = pgEnum('alert_source', ALERT_SOURCES);
export const noDataPolicyEnum = pgEnum('alert_no_data_policy', NO_DATA_POLICIES);
export const errorPolicyEnum = pgEnum('alert_error_policy', ERROR_POLICIES);
export const ruleHealthEnum = pgEnum('alert_rule_health', RULE_HEALTHS);

/** An alert rule's definition, as the console and `alertRules.*` edit it; its schedule is `alert_rule_schedule`. */
export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuidKey(),
    /** The alertname label of every instance. */
    name: text().notNull(),
    kind: alertRuleKindEnum().notNull(),
    /** The service the rule belongs to (its page lists the rule's alerts); null for fleet-wide rules. */
    serviceId: uuid().references(() => services.id, { onDelete: 'cascade' }),
    /** The check a default "down for 2 runs" rule was made for; the rule goes with the check. */
    defaultForCheckId: checkRef(),
    condition: jsonb().$type<AlertCondition>().notNull(),
    forSeconds: integer().notNull().default(0),
    keepFiringForSeconds: integer().notNull().default(0),
    intervalSeconds: integer().notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    annotations: jsonb().$type<AlertAnnotations>().notNull().default({}),
    noDataPolicy: noDataPolicyEnum().notNull().default('NoData'),
    errorPolicy: errorPolicyEnum().notNull().default('KeepLast'),
    /** Most alerting series one evaluation may yield (spec A2.10); 0 = no limit. */
    seriesLimit: integer().notNull().default(0),
    enabled: boolean().notNull().default(true),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    index('alert_rules_service_idx').on(t.serviceId),
    uniqueIndex('alert_rules_default_check_idx').on(t.defaultForCheckId),
  ],
);

/**
 * When each rule is next evaluated and how its last evaluation went, written by the engine alone. Slots are
 * epoch-aligned plus a stable per-rule phase; an engine instance claims due rows with FOR UPDATE SKIP LOCKED and a
 * lease, and writes the next slot in the same transaction as the instance transitions, so each slot runs once.
 */
export const alertRuleSchedule = pgTable(
  'alert_rule_schedule',
  {
    ruleId: uuid()
      .primaryKey()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    intervalSeconds: integer().notNull(),
    phaseOffsetMs: integer().notNull(),
    /** Null while the rule is disabled. Decided by the engine's clock, never SQL now(). */
    nextEvalAt: ts(),
    leaseOwner: text(),
    leaseUntil: ts(),
    health: ruleHealthEnum().notNull().default('unknown'),
    lastError: text(),
    lastEvalAt: ts(),
    lastEvalDurationMs: doublePrecision(),
  },
  (t) => [index('alert_rule_schedule_due_idx').on(t.nextEvalAt)],
);

/**
 * One alert: a rule's label set in its current state (spec A2), or an alert posted to /api/v2/alerts (spec A3).
 * Identity is (rule, fingerprint) for rule alerts and the fingerprint alone for external ones.
 */
export const alertInstances = pgTable(
  'alert_instances',
  {
    id: uuidKey(),
    source: alertSourceEnum().notNull(),
    ruleId: uuid().references(() => alertRules.id, { onDelete: 'cascade' }),
    /** Prometheus' FNV-1a label signature, 16 hex digits. */
    fingerprint: char({ length: 16 }).notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    annotations: jsonb().$type<AlertAnnotations>().notNull().default({}),
    state: alertStateEnum().notNull(),
    /** Why the last change happened (ConditionMet, ForElapsed, NoData, MissingSeries, …). */
    reason: text().notNull(),
    value: doublePrecision(),
    activeAt: ts().notNull(),
    firedAt: ts(),
    resolvedAt: ts(),
    keepFiringSince: ts(),
    missedEvals: integer().notNull().default(0),
    lastEvalAt: ts(),
    /** What the notifier sees (spec A2.7 / A3): startsAt, and endsAt = "valid until" while active. */
    startsAt: ts(),
    endsAt: ts(),
    /** External alerts: endsAt came from resolve_timeout, not the sender (spec A3.1, A3.3). */
    endsAtFromTimeout: boolean().notNull().default(false),
    generatorUrl: text(),
    lastSentAt: ts(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('alert_instances_rule_fp_idx')
      .on(t.ruleId, t.fingerprint)
      .where(sql`${t.ruleId} is not null`),
    uniqueIndex('alert_instances_external_fp_idx').on(t.fingerprint).where(sql`${t.source} = 'external'`),
    index('alert_instances_state_idx').on(t.state),
  ],
);

/** Every state change of every alert instance, with its reason: the alert's history, kept after eviction. */
export const alertTransitions = pgTable(
  'alert_transitions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    ruleId: uuid().references(() => alertRules.id, { onDelete: 'cascade' }),
    fingerprint: char({ length: 16 }).notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    /** `inactive` stands for "no instance". */
    fromState: text().notNull(),
    toState: text().notNull(),
    reason: text().notNull(),
    value: doublePrecision(),
    at: ts().notNull(),
  },
  (t) => [
    index('alert_transitions_rule_idx').on(t.ruleId, t.fingerprint, t.at),
    index('alert_transitions_at_idx').on(t.at),
  ],
);

/** A silence (spec A6/B19): matchers over [startsAt, endsAt). Edits the spec forbids in place expire and replace. */
export const silences = pgTable(
  'silences',
  {
    id: uuidKey(),
    matchers: jsonb().$type<ConditionMatcher[]>().notNull(),
    startsAt: ts().notNull(),
    endsAt: ts().notNull(),
    createdBy: text().notNull(),
    createdByUserId: text().references(() => users.id, { onDelete: 'set null' }),
    comment: text().notNull(),
    /** The silence this one replaced (expire-and-create edit), so history reads as a chain. */
    replacesId: uuid(),
    /** Our rule (spec A7): an alert notified as firing that resolves while silenced still gets its resolve, unless set. */
    suppressResolve: boolean().notNull().default(false),
    ...timestamps(),
  },
  (t) => [index('silences_ends_idx').on(t.endsAt)],
);

/** Mute alerts matching `target` while an alert matching `source` fires with the same `equal` labels (B20–B21). */
export const inhibitionRules = pgTable('inhibition_rules', {
  id: uuidKey(),
  name: text().notNull(),
  sourceMatchers: jsonb().$type<ConditionMatcher[]>().notNull(),
  targetMatchers: jsonb().$type<ConditionMatcher[]>().notNull(),
  equal: jsonb().$type<string[]>().notNull().default([]),
  enabled: boolean().notNull().default(true),
  ...timestamps(),
});
