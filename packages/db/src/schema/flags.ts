import { FLAG_TYPES, type FlagType, type Strategy, type Variant } from '@sextant/flags/schema';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { users } from './identity';
import { serviceRef } from './services';

// The CHECKs are a backstop: @sextant/flags' save-time schema is the rule every input is validated against first.

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** A feature flag: what it is and who owns it; its behaviour lives per environment in `flag_environments`. */
export const flags = pgTable(
  'flags',
  {
    id: uuidKey(),
    /** The name clients evaluate; also the default rollout group id, so it never changes after creation. */
    key: text().notNull(),
    description: text(),
    type: text().$type<FlagType>().notNull(),
    ownerUserId: text().references(() => users.id, { onDelete: 'set null' }),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Stale when neither changed nor evaluated for this many days. */
    staleAfterDays: integer().notNull().default(30),
    lastChangedAt: ts().notNull().defaultNow(),
    /** Written by the evaluation counter's flush, not per evaluation. */
    lastEvaluatedAt: ts(),
    archivedAt: ts(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('flags_key_idx').on(t.key),
    check('flags_type', sql.raw(`type in (${list(FLAG_TYPES)})`)),
    check('flags_key_length', sql`char_length(${t.key}) between 1 and 200`),
    check('flags_description_length', sql`char_length(${t.description}) <= 2000`),
    check('flags_stale_after_days', sql`${t.staleAfterDays} between 1 and 3650`),
  ],
);

const flagRef = () =>
  uuid()
    .notNull()
    .references(() => flags.id, { onDelete: 'cascade' });

/** One flag's configuration in one environment: the shape `@sextant/flags` evaluates. */
export const flagEnvironments = pgTable(
  'flag_environments',
  {
    flagId: flagRef(),
    environmentId: environmentRef('cascade').notNull(),
    enabled: boolean().notNull().default(false),
    /** OR of strategies, each an AND of constraints (spec B1). */
    strategies: jsonb().$type<Strategy[]>().notNull().default([]),
    variants: jsonb().$type<Variant[]>().notNull().default([]),
    variantStickiness: text().notNull().default('default'),
    /** Bumped on every change; evaluations echo it as flagMetadata.flagVersion. */
    version: integer().notNull().default(1),
    updatedByUserId: text().references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.flagId, t.environmentId] }),
    index('flag_environments_environment_idx').on(t.environmentId),
  ],
);

/** The services a flag affects: its changes are markers on their charts, their incidents offer its kill switch. */
export const flagServices = pgTable('flag_services', { flagId: flagRef(), serviceId: serviceRef() }, (t) => [
  primaryKey({ columns: [t.flagId, t.serviceId] }),
  index('flag_services_service_idx').on(t.serviceId),
]);

/** One row per change of a flag (environment null = a change of the flag itself): chart markers and incident context. */
export const flagChanges = pgTable(
  'flag_changes',
  {
    id: uuidKey(),
    flagId: flagRef(),
    environmentId: environmentRef('cascade'),
    actorUserId: text().references(() => users.id, { onDelete: 'set null' }),
    /** One line a chart tooltip shows, e.g. "enabled", "rollout 20 %", "kill switch". */
    summary: text().notNull(),
    at: ts().notNull().defaultNow(),
  },
  (t) => [
    index('flag_changes_flag_at_idx').on(t.flagId, t.at),
    index('flag_changes_at_idx').on(t.at),
    check('flag_changes_summary_length', sql`char_length(${t.summary}) <= 500`),
  ],
);
