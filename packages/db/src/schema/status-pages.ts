import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { STATUS_PAGE_VISIBILITIES } from '../enums';
import { timestamps, uuidKey } from './columns';
import { environmentRef } from './environments';
import { serviceRef } from './services';

export const statusPageVisibilityEnum = pgEnum('status_page_visibility', STATUS_PAGE_VISIBILITIES);

/** A status page: public to the internet or private to signed-in users; what it shows is its components. */
export const statusPages = pgTable(
  'status_pages',
  {
    id: uuidKey(),
    /** Lowercase `[a-z0-9-]`, the page's address; checked here too so no write path can store another shape. */
    slug: text().notNull(),
    title: text().notNull(),
    visibility: statusPageVisibilityEnum().notNull().default('private'),
    /** An http(s) URL only (the schema refuses others), shown as an image. */
    logoUrl: text(),
    /** Plain text or markdown, rendered inert. */
    footer: text(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('status_pages_slug_idx').on(t.slug),
    check('status_pages_slug_shape', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

const pageRef = () =>
  uuid()
    .notNull()
    .references(() => statusPages.id, { onDelete: 'cascade' });

/** Which environments a page shows (states, incidents, maintenance and uptime of those only). */
export const statusPageEnvironments = pgTable(
  'status_page_environments',
  {
    pageId: pageRef(),
    environmentId: environmentRef('cascade').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.environmentId] })],
);

/** A service shown on a page, in an optional group, ordered by position. */
export const statusPageComponents = pgTable(
  'status_page_components',
  {
    id: uuidKey(),
    pageId: pageRef(),
    serviceId: serviceRef(),
    groupName: text(),
    position: integer().notNull(),
  },
  (t) => [
    uniqueIndex('status_page_components_pair_idx').on(t.pageId, t.serviceId),
    index('status_page_components_service_idx').on(t.serviceId),
  ],
);
