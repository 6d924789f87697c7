CREATE TABLE "scrape_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"url" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"interval_seconds" integer NOT NULL,
	"timeout_ms" integer NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"phase_offset_ms" integer NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_scrape_at" timestamp with time zone,
	"last_duration_ms" integer,
	"last_samples" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scrape_targets" ADD CONSTRAINT "scrape_targets_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scrape_targets" ADD CONSTRAINT "scrape_targets_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scrape_targets_due_idx" ON "scrape_targets" USING btree ("next_run_at") WHERE not "scrape_targets"."paused";--> statement-breakpoint
CREATE INDEX "scrape_targets_service_idx" ON "scrape_targets" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scrape_targets_url_idx" ON "scrape_targets" USING btree ("environment_id","url");