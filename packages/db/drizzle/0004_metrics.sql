-- Time-series tables are range-partitioned (drizzle-kit cannot express that; PARTITION BY added by hand).
CREATE TABLE "metric_histograms" (
	"series_id" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"bounds" double precision[] NOT NULL,
	"counts" double precision[] NOT NULL,
	"sum" double precision NOT NULL,
	"count" double precision NOT NULL
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "metric_points" (
	"series_id" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "metric_rollups_1h" (
	"series_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"first" double precision NOT NULL,
	"last" double precision NOT NULL,
	"bounds" double precision[],
	"counts" double precision[],
	CONSTRAINT "metric_rollups_1h_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
) PARTITION BY RANGE ("bucket");
--> statement-breakpoint
CREATE TABLE "metric_rollups_1m" (
	"series_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"first" double precision NOT NULL,
	"last" double precision NOT NULL,
	"bounds" double precision[],
	"counts" double precision[],
	CONSTRAINT "metric_rollups_1m_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
) PARTITION BY RANGE ("bucket");
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"labels" jsonb NOT NULL,
	"hash" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "metric_histograms_series_ts_idx" ON "metric_histograms" USING btree ("series_id","ts");--> statement-breakpoint
CREATE INDEX "metric_points_series_ts_idx" ON "metric_points" USING btree ("series_id","ts");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_series_hash_idx" ON "metric_series" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "metric_series_name_idx" ON "metric_series" USING btree ("name");--> statement-breakpoint
CREATE INDEX "metric_series_labels_idx" ON "metric_series" USING gin ("labels" jsonb_path_ops);