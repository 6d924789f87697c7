import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { leasedSlots, timestamps, ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { serviceRef } from './services';

/**
 * A Prometheus `/metrics` endpoint scraped on an interval into the metrics store, labelled with its
 * service and environment. Scheduled like checks: epoch-aligned slots, claimed with a lease.
 */
export const scrapeTargets = pgTable(
  'scrape_targets',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    environmentId: environmentRef('restrict').notNull(),
    url: text().notNull(),
    /** Added to every scraped series; `service` and `environment` always come from the target itself. */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Dropped from metric names, so `myapp_http_requests_total` lands as `http_requests_total`. */
    dropPrefix: text(),
    intervalSeconds: integer().notNull(),
    timeoutMs: integer().notNull(),
    paused: boolean().notNull().default(false),
    ...leasedSlots(),
    lastScrapeAt: ts(),
    lastDurationMs: integer(),
    lastSamples: integer(),
    /** Null after a good scrape; the reason otherwise. */
    lastError: text(),
    ...timestamps(),
  },
  (t) => [
    index('scrape_targets_due_idx').on(t.nextRunAt).where(sql`not ${t.paused}`),
    index('scrape_targets_service_idx').on(t.serviceId),
    // The same endpoint scraped twice in one environment would count every sample twice.
    uniqueIndex('scrape_targets_url_idx').on(t.environmentId, t.url),
  ],
);
