import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { serviceRef } from './services';

/**
 * A planned window of work: one-off, or recurring by an RFC 5545 RRULE read in an IANA time zone.
 * startsAt/endsAt are the first occurrence; every later one lasts as long.
 */
export const maintenances = pgTable(
  'maintenances',
  {
    id: uuidKey(),
    title: text().notNull(),
    description: text().notNull().default(''),
    startsAt: ts().notNull(),
    endsAt: ts().notNull(),
    /** The RRULE value only (no DTSTART); DTSTART is startsAt in timeZone. Null for a one-off window. */
    rrule: text(),
    timeZone: text().notNull(),
    /** End of the last occurrence, computed on save, so "active", "upcoming" and "past" filter in SQL. */
    seriesEndsAt: ts().notNull(),
    announceAheadMinutes: integer().notNull().default(1440),
    /** A cancelled window is kept for history but never active. */
    cancelledAt: ts(),
    ...timestamps(),
  },
  (t) => [
    check('maintenances_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('maintenances_announce_ahead', sql`${t.announceAheadMinutes} >= 0`),
    check('maintenances_series_ends', sql`${t.seriesEndsAt} >= ${t.endsAt}`),
    index('maintenances_series_idx').on(t.seriesEndsAt, t.startsAt),
  ],
);

/** Which service × environment pairs a maintenance covers; rows go with the window, service or environment. */
export const maintenanceTargets = pgTable(
  'maintenance_targets',
  {
    maintenanceId: uuid()
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    serviceId: serviceRef(),
    environmentId: environmentRef('cascade').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.maintenanceId, t.serviceId, t.environmentId] }),
    index('maintenance_targets_service_idx').on(t.serviceId, t.environmentId),
  ],
);
