import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CheckConfig } from '../check-config';
import { CHECK_KINDS } from '../enums';
import { leasedSlots, monitorState, timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { serviceRef } from './services';

export const checkKindEnum = pgEnum('check_kind', CHECK_KINDS);

/** An active probe of one service in one environment, with its schedule and current state. */
export const checks = pgTable(
  'checks',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    environmentId: environmentRef('restrict').notNull(),
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
    ...leasedSlots(),
    // Current state, maintained by the scheduler.
    ...monitorState(),
    consecutiveFailures: integer().notNull().default(0),
    consecutiveSuccesses: integer().notNull().default(0),
    lastRunAt: ts(),
    lastLatencyMs: doublePrecision(),
    lastError: text(),
    tlsExpiresAt: ts(),
    ...timestamps(),
  },
  (t) => [
    index('checks_due_idx').on(t.nextRunAt).where(sql`not ${t.paused}`),
    index('checks_service_idx').on(t.serviceId),
  ],
);

/** A row about one check (results, rollups, events); it goes when the check goes. */
export const checkRef = () => uuid().references(() => checks.id, { onDelete: 'cascade' });
