-- The service tier is range-partitioned like the rollups (drizzle-kit cannot express that; PARTITION BY added by hand).
CREATE TABLE "metric_agg_1h" (
	"name" text NOT NULL,
	"service" text NOT NULL,
	"environment" text NOT NULL,
	"err" boolean NOT NULL,
	"le" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"series" integer NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision,
	"max" double precision,
	"inc" double precision,
	"bounds" double precision[],
	"inc_counts" double precision[],
	CONSTRAINT "metric_agg_1h_name_service_environment_err_le_bucket_pk" PRIMARY KEY("name","service","environment","err","le","bucket")
) PARTITION BY RANGE ("bucket");
--> statement-breakpoint
CREATE TABLE "metric_agg_1m" (
	"name" text NOT NULL,
	"service" text NOT NULL,
	"environment" text NOT NULL,
	"err" boolean NOT NULL,
	"le" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"series" integer NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision,
	"max" double precision,
	"inc" double precision,
	"bounds" double precision[],
	"inc_counts" double precision[],
	CONSTRAINT "metric_agg_1m_name_service_environment_err_le_bucket_pk" PRIMARY KEY("name","service","environment","err","le","bucket")
) PARTITION BY RANGE ("bucket");
--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" ADD COLUMN "inc" double precision;--> statement-breakpoint
ALTER TABLE "metric_rollups_1h" ADD COLUMN "inc_counts" double precision[];--> statement-breakpoint
ALTER TABLE "metric_rollups_1m" ADD COLUMN "inc" double precision;--> statement-breakpoint
ALTER TABLE "metric_rollups_1m" ADD COLUMN "inc_counts" double precision[];