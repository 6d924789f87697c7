import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts, uuidKey } from './columns';
import { deployments, releases } from './delivery';
import { environmentRef } from './environments';
import { apiKeys, users } from './identity';
import { receivers } from './notifications';
import { serviceRef } from './services';

// Canary rollouts (spec A1, requirements 3–7). The JSON columns hold what @sextant/trpc's rollout core validates
// (rolloutSteps, analysisTemplate); only packages/trpc/src/services/rollouts/store.ts writes these tables.

/** States in which a rollout is still the one of its service × environment (a newer release supersedes it). */
export const OPEN_ROLLOUT_STATES = [
  'pending',
  'progressing',
  'paused',
  'analyzing',
  'aborted',
  'failed',
] as const;
const openList = OPEN_ROLLOUT_STATES.map((s) => `'${s}'`).join(', ');

/** One canary rollout: the core's snapshot columns, what was published to the deploy tool and what it reported. */
export const rollouts = pgTable(
  'rollouts',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    environmentId: environmentRef('restrict').notNull(),
    targetReleaseId: uuid()
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    stableReleaseId: uuid().references(() => releases.id, { onDelete: 'set null' }),
    rolledBackToReleaseId: uuid().references(() => releases.id, { onDelete: 'set null' }),
    /** The target's deployment row (moved by services/deployments.ts). */
    deploymentId: uuid().references((): AnyPgColumn => deployments.id, { onDelete: 'set null' }),
    steps: jsonb().notNull(),
    state: text().notNull(),
    stepIndex: integer().notNull().default(0),
    weight: integer().notNull().default(0),
    attempt: integer().notNull().default(0),
    pauseUntil: ts(),
    /** The core's AnalysisRunRef {attempt, stepIndex, phase} or null. */
    analysis: jsonb(),
    reason: text(),
    /** As published: the webhook body and the GET /v1/rollouts answer. */
    desiredVersion: text().notNull(),
    desiredWeight: integer().notNull().default(0),
    desiredStableVersion: text(),
    desiredAt: ts().notNull().defaultNow(),
    /** What the deploy tool says it applied. */
    reportedVersion: text(),
    reportedWeight: integer(),
    reportedAt: ts(),
    /** State-change webhooks go to this receiver's webhook integrations; none when null. */
    receiverId: uuid().references(() => receivers.id, { onDelete: 'set null' }),
    /** State changes so far: each webhook's idempotency key names its number. */
    changes: integer().notNull().default(0),
    /** When the worker must look at it (a pause's end, an analysis measurement); null when nothing is due. */
    nextCheckAt: ts(),
    createdByUserId: text().references(() => users.id, { onDelete: 'set null' }),
    createdByApiKeyId: uuid().references(() => apiKeys.id, { onDelete: 'set null' }),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rollouts_open_idx')
      .on(t.serviceId, t.environmentId)
      .where(sql.raw(`state in (${openList})`)),
    index('rollouts_due_idx').on(t.nextCheckAt).where(sql`${t.nextCheckAt} is not null`),
    index('rollouts_service_env_created_idx').on(t.serviceId, t.environmentId, t.createdAt),
    check('rollouts_weight', sql`${t.weight} between 0 and 100 and ${t.desiredWeight} between 0 and 100`),
    check('rollouts_reported_weight', sql`${t.reportedWeight} between 0 and 100`),
  ],
);

/** One analysis step's run in one attempt; (attempt, step_index) names it, as in the core. */
export const rolloutAnalysisRuns = pgTable(
  'rollout_analysis_runs',
  {
    id: uuidKey(),
    rolloutId: uuid()
      .notNull()
      .references(() => rollouts.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    stepIndex: integer().notNull(),
    template: jsonb().notNull(),
    /** running | successful | failed | inconclusive | error | stopped. */
    phase: text().notNull().default('running'),
    canaryVersion: text().notNull(),
    stableVersion: text(),
    startedAt: ts().notNull(),
    endedAt: ts(),
  },
  (t) => [uniqueIndex('rollout_analysis_runs_step_idx').on(t.rolloutId, t.attempt, t.stepIndex)],
);

/** One measurement of one metric of a run: a value, or the error that kept it from being measured. */
export const rolloutMeasurements = pgTable(
  'rollout_measurements',
  {
    id: uuidKey(),
    runId: uuid()
      .notNull()
      .references(() => rolloutAnalysisRuns.id, { onDelete: 'cascade' }),
    metric: text().notNull(),
    at: ts().notNull(),
    value: doublePrecision(),
    canary: doublePrecision(),
    stable: doublePrecision(),
    error: text(),
    /** The measurement's outcome: successful | failed | inconclusive | error. */
    phase: text().notNull(),
  },
  (t) => [
    uniqueIndex('rollout_measurements_at_idx').on(t.runId, t.metric, t.at),
    check('rollout_measurements_error_length', sql`char_length(${t.error}) <= 500`),
  ],
);
