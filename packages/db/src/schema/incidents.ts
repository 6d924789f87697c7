import { date, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  INCIDENT_IMPACTS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  INCIDENT_UPDATE_VISIBILITIES,
} from '../enums';
import { timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { users } from './identity';
import { serviceRef } from './services';

export const incidentSeverityEnum = pgEnum('incident_severity', INCIDENT_SEVERITIES);
export const incidentStatusEnum = pgEnum('incident_status', INCIDENT_STATUSES);
export const incidentImpactEnum = pgEnum('incident_impact', INCIDENT_IMPACTS);
export const incidentUpdateVisibilityEnum = pgEnum(
  'incident_update_visibility',
  INCIDENT_UPDATE_VISIBILITIES,
);

/** A user a row names; the row stays (unset) when the user goes. */
const userRef = () => text().references(() => users.id, { onDelete: 'set null' });

/** One incident: its state, its lifecycle times and its postmortem. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuidKey(),
    title: text().notNull(),
    severity: incidentSeverityEnum().notNull(),
    status: incidentStatusEnum().notNull().default('investigating'),
    commanderId: userRef(),
    startedAt: ts().notNull().defaultNow(),
    detectedAt: ts().notNull().defaultNow(),
    acknowledgedAt: ts(),
    acknowledgedBy: userRef(),
    mitigatedAt: ts(),
    resolvedAt: ts(),
    postmortemSummary: text(),
    postmortemRootCause: text(),
    ...timestamps(),
  },
  (t) => [
    // The list's keyset order (newest start first) and its status filter.
    index('incidents_started_idx').on(t.startedAt, t.id),
    index('incidents_status_idx').on(t.status),
  ],
);

/** Which service in which environment an incident affects, and how badly; one row per pair. */
export const incidentImpacts = pgTable(
  'incident_impacts',
  {
    id: uuidKey(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    serviceId: serviceRef(),
    environmentId: environmentRef('restrict').notNull(),
    impact: incidentImpactEnum().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('incident_impacts_pair_idx').on(t.incidentId, t.serviceId, t.environmentId),
    index('incident_impacts_service_idx').on(t.serviceId),
  ],
);

/** The incident's timeline: each status change and each posted note, with the status at the time. */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: uuidKey(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    status: incidentStatusEnum().notNull(),
    /** Markdown, rendered inert wherever it is shown. */
    body: text().notNull(),
    visibility: incidentUpdateVisibilityEnum().notNull(),
    authorId: userRef(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [index('incident_updates_incident_idx').on(t.incidentId, t.createdAt)],
);

/** A postmortem's follow-up: what to do, who owns it, by when, and when it was done. */
export const incidentActionItems = pgTable(
  'incident_action_items',
  {
    id: uuidKey(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    ownerId: userRef(),
    /** A calendar day, no time zone: "due by the 14th". */
    dueOn: date({ mode: 'string' }),
    doneAt: ts(),
    position: integer().notNull(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('incident_action_items_position_idx').on(t.incidentId, t.position)],
);
