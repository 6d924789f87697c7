import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RollupTier, SeriesKind } from '../enums';
import { ts } from './columns';
import { apiKeys, users } from './identity';

/**
 * One row per distinct metric name + label set. The hash (of name and sorted labels) makes
 * "find" a single indexed lookup on the write path; only new series are inserted.
 */
export const metricSeries = pgTable(
  'metric_series',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    name: text().notNull(),
    labels: jsonb().$type<Record<string, string>>().notNull(),
    hash: text().notNull(),
    kind: text().$type<SeriesKind>().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('metric_series_hash_idx').on(t.hash),
    index('metric_series_name_idx').on(t.name),
    index('metric_series_labels_idx').using('gin', sql`${t.labels} jsonb_path_ops`),
    // The per-service series limit counts by this; the Cardinality page counts new series by day.
    index('metric_series_service_idx').on(sql`(${t.labels}->>'service')`),
    index('metric_series_created_idx').on(t.createdAt),
  ],
);

// The tables below are range-partitioned by time in the migration (daily partitions made ahead by a job);
// retention drops whole partitions.

/** Raw counter and gauge samples. */
export const metricPoints = pgTable(
  'metric_points',
  {
    seriesId: bigint({ mode: 'number' }).notNull(),
    ts: ts().notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [index('metric_points_series_ts_idx').on(t.seriesId, t.ts)],
);

/** Raw histogram samples: cumulative bucket counts per upper bound (`le`), as Prometheus sends them. */
export const metricHistograms = pgTable(
  'metric_histograms',
  {
    seriesId: bigint({ mode: 'number' }).notNull(),
    ts: ts().notNull(),
    bounds: doublePrecision().array().notNull(),
    counts: doublePrecision().array().notNull(),
    sum: doublePrecision().notNull(),
    count: doublePrecision().notNull(),
  },
  (t) => [index('metric_histograms_series_ts_idx').on(t.seriesId, t.ts)],
);

const rollupColumns = {
  seriesId: bigint({ mode: 'number' }).notNull(),
  bucket: ts().notNull(),
  count: bigint({ mode: 'number' }).notNull(),
  sum: doublePrecision().notNull(),
  min: doublePrecision().notNull(),
  max: doublePrecision().notNull(),
  /** First and last sample in the bucket: counter rates across tiers come from these. */
  first: doublePrecision().notNull(),
  last: doublePrecision().notNull(),
  /** Histograms: the bounds seen in the bucket (ascending) and the last cumulative snapshot's counts at them. */
  bounds: doublePrecision().array(),
  counts: doublePrecision().array(),
  /** Points: the samples' increases added up (see increase.ts); every tier's rate is Σ inc / step. */
  inc: doublePrecision(),
  /** Histograms: the samples' element-wise increases added up per bound of `bounds`. */
  incCounts: doublePrecision().array(),
};

export const metricRollups1m = pgTable('metric_rollups_1m', rollupColumns, (t) => [
  primaryKey({ columns: [t.seriesId, t.bucket] }),
]);

export const metricRollups1h = pgTable('metric_rollups_1h', rollupColumns, (t) => [
  primaryKey({ columns: [t.seriesId, t.bucket] }),
]);

/**
 * Rollup buckets that received samples after the jobs' trailing windows had passed them;
 * the rollup jobs rebuild these and delete the rows.
 */
export const metricRollupBacklog = pgTable(
  'metric_rollup_backlog',
  {
    tier: text().$type<RollupTier>().notNull(),
    bucket: ts().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tier, t.bucket] })],
);

/** Accepted `POST /v1/metrics` requests by Idempotency-Key, so a retry after a lost answer is not stored twice; kept 24 h. */
export const metricIngestKeys = pgTable(
  'metric_ingest_keys',
  {
    apiKeyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    accepted: jsonb().$type<{ points: number; histograms: number }>().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.key] }),
    index('metric_ingest_keys_created_idx').on(t.createdAt),
  ],
);

/** An admin's series limit for one metric name or one `service` label, instead of the configured default. */
export const metricLimits = pgTable(
  'metric_limits',
  {
    scope: text().$type<'metric' | 'service'>().notNull(),
    key: text().notNull(),
    maxSeries: integer().notNull(),
    updatedAt: ts().notNull().defaultNow(),
    updatedBy: text().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    check('metric_limits_scope', sql`${t.scope} in ('metric', 'service')`),
    check('metric_limits_max_series', sql`${t.maxSeries} > 0`),
  ],
);

/** Series per metric at the last snapshot of each UTC day (hourly job), so the Cardinality page shows growth; kept 90 days. */
export const metricCardinalityDaily = pgTable(
  'metric_cardinality_daily',
  {
    day: date().notNull(),
    name: text().notNull(),
    series: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.name] })],
);
