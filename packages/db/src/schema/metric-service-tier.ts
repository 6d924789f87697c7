import { bigint, boolean, doublePrecision, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ts } from './columns';

/**
 * The service tier: per-series rollups added up per metric × service × environment × error × `le`, so dashboards
 * and the fleet page read a handful of rows whatever the number of routes or instances. '' stands for a missing
 * label; `err` is whether the series' `status` label is a 5xx. Range-partitioned by bucket in the migration.
 */
const serviceTierColumns = {
  name: text().notNull(),
  service: text().notNull(),
  environment: text().notNull(),
  err: boolean().notNull(),
  le: text().notNull(),
  bucket: ts().notNull(),
  /** Series with a rollup row in the bucket. */
  series: integer().notNull(),
  /** Point samples (histograms left out), their sum, min and max: avg = sum / count. */
  count: bigint({ mode: 'number' }).notNull(),
  sum: doublePrecision().notNull(),
  min: doublePrecision(),
  max: doublePrecision(),
  /** Σ of the series' increases (rate = inc / step). */
  inc: doublePrecision(),
  /** Histograms: the union of the series' bounds and the increases added up per bound. */
  bounds: doublePrecision().array(),
  incCounts: doublePrecision().array(),
};

export const metricAgg1m = pgTable('metric_agg_1m', serviceTierColumns, (t) => [
  primaryKey({ columns: [t.name, t.service, t.environment, t.err, t.le, t.bucket] }),
]);

export const metricAgg1h = pgTable('metric_agg_1h', serviceTierColumns, (t) => [
  primaryKey({ columns: [t.name, t.service, t.environment, t.err, t.le, t.bucket] }),
]);
