import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { environments } from './environments';
import { services } from './monitoring';

const ts = () => timestamp({ withTimezone: true });

/**
 * A Prometheus `/metrics` endpoint scraped on an interval into the metrics store, labelled with its
 * service and environment. Scheduled like checks: epoch-aligned slots, claimed with a lease.
 */
export const scrapeTargets = pgTable(
  'scrape_targets',
  {
    id: uuid().primaryKey().defaultRandom(),
    serviceId: uuid()
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: 'restrict' }),
    url: text().notNull(),
    /** Added to every scraped series; `service` and `environment` always come from the target itself. */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Dropped from metric names, so `myapp_http_requests_total` lands as `http_requests_total`. */
    dropPrefix: text(),
    intervalSeconds: integer().notNull(),
    timeoutMs: integer().notNull(),
    paused: boolean().notNull().default(false),
    phaseOffsetMs: integer().notNull(),
    nextRunAt: ts().notNull(),
    leaseOwner: text(),
    leaseUntil: ts(),
    lastScrapeAt: ts(),
    lastDurationMs: integer(),
    lastSamples: integer(),
    /** Null after a good scrape; the reason otherwise. */
    lastError: text(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('scrape_targets_due_idx').on(t.nextRunAt).where(sql`not ${t.paused}`),
    index('scrape_targets_service_idx').on(t.serviceId),
    // The same endpoint scraped twice in one environment would count every sample twice.
    uniqueIndex('scrape_targets_url_idx').on(t.environmentId, t.url),
  ],
);
