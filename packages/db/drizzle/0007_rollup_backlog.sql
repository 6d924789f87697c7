CREATE TABLE "metric_rollup_backlog" (
	"tier" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	CONSTRAINT "metric_rollup_backlog_tier_bucket_pk" PRIMARY KEY("tier","bucket")
);
