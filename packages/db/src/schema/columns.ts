import { integer, pgEnum, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { MONITOR_STATUSES } from '../enums';

// Column builders the tables share, so each column's type and default is written once.

/** Every timestamp carries its time zone. */
export const ts = () => timestamp({ withTimezone: true });

export const uuidKey = () => uuid().primaryKey().defaultRandom();

export const timestamps = () => ({
  createdAt: ts().notNull().defaultNow(),
  updatedAt: ts().notNull().defaultNow(),
});

export const monitorStatusEnum = pgEnum('monitor_status', MONITOR_STATUSES);

/** A check's or heartbeat's current state and since when it holds. */
export const monitorState = () => ({
  status: monitorStatusEnum().notNull().default('unknown'),
  statusSince: ts().notNull().defaultNow(),
});

/**
 * Scheduling of checks and scrape targets: slots are epoch-aligned plus a stable per-row offset, so restarts keep
 * each one's phase; an instance runs a due slot under a lease.
 */
export const leasedSlots = () => ({
  phaseOffsetMs: integer().notNull(),
  nextRunAt: ts().notNull(),
  leaseOwner: text(),
  leaseUntil: ts(),
});
