import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PROJECT_HEALTHS, type ProjectHealth, WORK_ITEM_STATUSES, type WorkItemStatus } from '../enums';
import { timestamps, ts, uuidKey } from './columns';
import { releases } from './delivery';
import { users } from './identity';
import { receiverIntegrations } from './notifications';
import { services } from './services';

// The CHECKs are a backstop: PROJECT_LIMITS in @sextant/trpc is the rule every input is validated against first.

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Something a team delivers by a date: owner, members, milestones, work items and the services it ships. */
export const projects = pgTable(
  'projects',
  {
    id: uuidKey(),
    name: text().notNull(),
    description: text(),
    ownerUserId: text().references(() => users.id, { onDelete: 'set null' }),
    startDate: date({ mode: 'string' }).notNull(),
    targetDate: date({ mode: 'string' }),
    /** Points an un-estimated item counts in "% by estimate" (spec D: default 1). */
    defaultEstimate: integer().notNull().default(1),
    /** At risk when elapsed % minus done % exceeds this (spec D: 20). */
    riskGapPercent: integer().notNull().default(20),
    /** At risk when nothing was completed for this many days with work open (spec D: 14). */
    stallDays: integer().notNull().default(14),
    /** The email integration the weekly digest goes through; none = no digest for this project. */
    digestIntegrationId: uuid().references(() => receiverIntegrations.id, { onDelete: 'set null' }),
    archivedAt: ts(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('projects_name_lower_idx').on(sql`lower(${t.name})`),
    check('projects_name_length', sql`char_length(${t.name}) between 1 and 120`),
    check('projects_description_length', sql`char_length(${t.description}) <= 5000`),
    check('projects_target_after_start', sql`${t.targetDate} is null or ${t.targetDate} >= ${t.startDate}`),
    check('projects_default_estimate', sql`${t.defaultEstimate} between 0 and 1000`),
    check('projects_risk_gap', sql`${t.riskGapPercent} between 0 and 100`),
    check('projects_stall_days', sql`${t.stallDays} between 1 and 365`),
  ],
);

const projectRef = () =>
  uuid()
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' });

/** The people on a project; `digest` says whether the weekly digest mails them. */
export const projectMembers = pgTable(
  'project_members',
  {
    projectId: projectRef(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    digest: boolean().notNull().default(true),
    addedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId)],
);

/** Stakeholders (any signed-in role) who asked for a project's weekly digest without being members. */
export const projectSubscribers = pgTable(
  'project_subscribers',
  {
    projectId: projectRef(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subscribedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

/** The services a project ships: their reliability facts show on its dashboard. */
export const projectServices = pgTable(
  'project_services',
  {
    projectId: projectRef(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.serviceId] }),
    index('project_services_service_idx').on(t.serviceId),
  ],
);

/** A dated checkpoint of a project, in `position` order. */
export const milestones = pgTable(
  'milestones',
  {
    id: uuidKey(),
    projectId: projectRef(),
    name: text().notNull(),
    description: text(),
    dueDate: date({ mode: 'string' }),
    position: integer().notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('milestones_project_name_idx').on(t.projectId, sql`lower(${t.name})`),
    index('milestones_project_position_idx').on(t.projectId, t.position),
    check('milestones_name_length', sql`char_length(${t.name}) between 1 and 120`),
    check('milestones_description_length', sql`char_length(${t.description}) <= 5000`),
  ],
);

/** A unit of work; an item linked to a release turns done when that release reaches production. */
export const workItems = pgTable(
  'work_items',
  {
    id: uuidKey(),
    projectId: projectRef(),
    milestoneId: uuid().references(() => milestones.id, { onDelete: 'set null' }),
    title: text().notNull(),
    /** Points; null = un-estimated (counts the project's default estimate). */
    estimate: integer(),
    status: text().$type<WorkItemStatus>().notNull().default('todo'),
    assigneeUserId: text().references(() => users.id, { onDelete: 'set null' }),
    labels: text().array().notNull().default(sql`'{}'::text[]`),
    releaseId: uuid().references(() => releases.id, { onDelete: 'set null' }),
    /** When it is due (a day); not before the project's start. */
    dueDate: date({ mode: 'string' }),
    /** Where an imported item came from (e.g. a GitHub issue URL), so a re-import can be recognised. */
    externalRef: text(),
    /** When it last became done or cancelled; null while open. */
    closedAt: ts(),
    ...timestamps(),
  },
  (t) => [
    check('work_items_status', sql.raw(`status in (${list(WORK_ITEM_STATUSES)})`)),
    check('work_items_title_length', sql`char_length(${t.title}) between 1 and 500`),
    check('work_items_estimate', sql`${t.estimate} between 0 and 1000`),
    check('work_items_labels', sql`cardinality(${t.labels}) <= 20`),
    check('work_items_external_ref_length', sql`char_length(${t.externalRef}) <= 500`),
    index('work_items_project_status_idx').on(t.projectId, t.status),
    index('work_items_project_closed_idx').on(t.projectId, t.closedAt),
    index('work_items_milestone_idx').on(t.milestoneId),
    index('work_items_release_idx').on(t.releaseId).where(sql`${t.releaseId} is not null`),
    uniqueIndex('work_items_external_ref_idx')
      .on(t.projectId, t.externalRef)
      .where(sql`${t.externalRef} is not null`),
  ],
);

/**
 * A project's scope and done, as they stood at the end of a day (UTC). Written for today and kept for past days, so
 * moving an item changes today, not history (spec D, requirement 16).
 */
export const projectSnapshots = pgTable(
  'project_snapshots',
  {
    projectId: projectRef(),
    day: date({ mode: 'string' }).notNull(),
    /** Open + done items (cancelled leave the scope). */
    scopeCount: integer().notNull(),
    doneCount: integer().notNull(),
    /** The same in points, un-estimated items at the project's default estimate. */
    scopePoints: integer().notNull(),
    donePoints: integer().notNull(),
    unestimatedCount: integer().notNull(),
    takenAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day] })],
);

/** An owner's dated project update: a note and, optionally, the health they state. */
export const projectUpdates = pgTable(
  'project_updates',
  {
    id: uuidKey(),
    projectId: projectRef(),
    health: text().$type<ProjectHealth>(),
    note: text().notNull(),
    authorUserId: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    check('project_updates_health', sql.raw(`health in (${list(PROJECT_HEALTHS)})`)),
    check('project_updates_note_length', sql`char_length(${t.note}) between 1 and 5000`),
    index('project_updates_project_created_idx').on(t.projectId, t.createdAt),
  ],
);

/** A read-only link to a project's dashboard for people outside Sextant; only the token's hash is kept. */
export const projectShareLinks = pgTable(
  'project_share_links',
  {
    id: uuidKey(),
    projectId: projectRef(),
    tokenHash: text().notNull(),
    label: text(),
    expiresAt: ts().notNull(),
    revokedAt: ts(),
    createdByUserId: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts().notNull().defaultNow(),
    lastUsedAt: ts(),
  },
  (t) => [
    uniqueIndex('project_share_links_token_idx').on(t.tokenHash),
    index('project_share_links_project_idx').on(t.projectId),
    check('project_share_links_label_length', sql`char_length(${t.label}) <= 120`),
  ],
);

/** One row per project and week whose digest was queued: the outbox sends it, this keeps it to once. */
export const projectDigests = pgTable(
  'project_digests',
  {
    projectId: projectRef(),
    weekStart: date({ mode: 'string' }).notNull(),
    recipients: integer().notNull(),
    queuedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.weekStart] })],
);
