import { sql } from 'drizzle-orm';
import { boolean, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SERVICE_TIERS } from '../enums';
import { timestamps, uuidKey } from './columns';

export const tierEnum = pgEnum('service_tier', SERVICE_TIERS);

/** A thing a team runs; renames keep its id, so history follows it. */
export const services = pgTable(
  'services',
  {
    id: uuidKey(),
    name: text().notNull(),
    slug: text().notNull(),
    description: text(),
    owner: text(),
    tier: tierEnum().notNull().default('standard'),
    repositoryUrl: text(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Shown on the public status page (name, state and uptime only). */
    isPublic: boolean().notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('services_name_lower_idx').on(sql`lower(${t.name})`),
    uniqueIndex('services_slug_idx').on(t.slug),
  ],
);

/** The service a row belongs to; it goes when the service goes. */
export const serviceRef = () =>
  uuid()
    .notNull()
    .references(() => services.id, { onDelete: 'cascade' });
