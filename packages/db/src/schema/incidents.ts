import {
  date,
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
import {
  INCIDENT_IMPACTS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  INCIDENT_UPDATE_VISIBILITIES,
} from '../enums';
import type { LinkedAlert } from '../notify-types';
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

/**
 * An alert group (route id, group key) an incident was opened from or joined by a routing option (issue 15,
 * Alerting II). No foreign key to alert_groups: a group is destroyed once its alerts are resolved and sent, the
 * link stays. `alerts` is the group's state at its last tick, so an incident knows when all its alerts resolved.
 */
export const incidentAlertGroups = pgTable(
  'incident_alert_groups',
  {
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    routeId: text().notNull(),
    groupKey: text().notNull(),
    groupLabels: jsonb().$type<Record<string, string>>().notNull(),
    /** Engine clock of the tick that opened or joined the incident. */
    linkedAt: ts().notNull(),
    alerts: jsonb().$type<LinkedAlert[]>().notNull().default([]),
    lastTickAt: ts().notNull(),
    /** Set at the tick where every alert of the group was resolved; cleared when one fires again. */
    allResolvedAt: ts(),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.routeId, t.groupKey] }),
    // The flush looks up a group's links on every tick.
    index('incident_alert_groups_group_idx').on(t.routeId, t.groupKey),
  ],
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
