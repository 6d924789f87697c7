CREATE TABLE "metric_cardinality_daily" (
	"day" date NOT NULL,
	"name" text NOT NULL,
	"series" integer NOT NULL,
	CONSTRAINT "metric_cardinality_daily_day_name_pk" PRIMARY KEY("day","name")
);
--> statement-breakpoint
CREATE TABLE "metric_limits" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"max_series" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "metric_limits_scope_key_pk" PRIMARY KEY("scope","key"),
	CONSTRAINT "metric_limits_scope" CHECK ("metric_limits"."scope" in ('metric', 'service')),
	CONSTRAINT "metric_limits_max_series" CHECK ("metric_limits"."max_series" > 0)
);
--> statement-breakpoint
ALTER TABLE "metric_limits" ADD CONSTRAINT "metric_limits_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;