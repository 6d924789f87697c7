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
import { STATUS_PAGE_VISIBILITIES, SUBSCRIBER_KINDS, SUBSCRIBER_STATES } from '../enums';
import { timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { receiverIntegrations } from './notifications';
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
    /** The email integration that sends this page's subscriber mail; none → the page offers no email subscription. */
    mailIntegrationId: uuid().references(() => receiverIntegrations.id, { onDelete: 'set null' }),
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

export const subscriberKindEnum = pgEnum('subscriber_kind', SUBSCRIBER_KINDS);
export const subscriberStateEnum = pgEnum('subscriber_state', SUBSCRIBER_STATES);

/**
 * Someone told about a page's incidents and maintenance: an email address (double opt-in) or a webhook URL (admins
 * only). An address is never shown publicly; a webhook URL is sealed in `secrets_enc` (it may carry a token).
 */
export const statusPageSubscribers = pgTable(
  'status_page_subscribers',
  {
    id: uuidKey(),
    pageId: pageRef(),
    kind: subscriberKindEnum().notNull(),
    /** Lowercased; null for a webhook. */
    email: text(),
    /** The webhook URL, sealed with the secret box (bound to the row); null for email. */
    secretsEnc: text(),
    /** The services (components) chosen; empty = every component of the page. Services, as components are rewritten. */
    serviceIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    state: subscriberStateEnum().notNull().default('pending'),
    confirmedAt: ts(),
    unsubscribedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    /** For the per-IP subscribe limit; never shown publicly. */
    createdIp: text(),
  },
  (t) => [
    uniqueIndex('status_page_subscribers_email_idx')
      .on(t.pageId, t.email)
      .where(sql`${t.state} <> 'unsubscribed' and ${t.email} is not null`),
    index('status_page_subscribers_page_idx').on(t.pageId, t.state),
    index('status_page_subscribers_ip_idx').on(t.createdIp, t.createdAt),
    check(
      'status_page_subscribers_kind_shape',
      sql`(${t.kind} = 'email' and ${t.email} is not null and ${t.email} = lower(${t.email})) or (${t.kind} = 'webhook' and ${t.secretsEnc} is not null)`,
    ),
  ],
);
