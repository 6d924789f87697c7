import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { checkRef } from './checks';
import { ts } from './columns';

/** One row per run; kept for RESULTS_RETENTION_DAYS, summarised hourly into check_rollups_hourly. */
export const checkResults = pgTable(
  'check_results',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    checkId: checkRef().notNull(),
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

/** Hourly summary of check results, kept 400 days; charts over 24 h and longer read these. */
export const checkRollupsHourly = pgTable(
  'check_rollups_hourly',
  {
    checkId: checkRef().notNull(),
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
