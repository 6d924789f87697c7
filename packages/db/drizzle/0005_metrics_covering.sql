-- Index-only scans for the hot read path: one series over a time range, value included.
DROP INDEX IF EXISTS "metric_points_series_ts_idx";--> statement-breakpoint
CREATE INDEX "metric_points_series_ts_idx" ON "metric_points" ("series_id", "ts") INCLUDE ("value");
