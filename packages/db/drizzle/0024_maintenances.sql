CREATE TABLE "maintenance_targets" (
	"maintenance_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	CONSTRAINT "maintenance_targets_maintenance_id_service_id_environment_id_pk" PRIMARY KEY("maintenance_id","service_id","environment_id")
);
--> statement-breakpoint
CREATE TABLE "maintenances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"rrule" text,
	"time_zone" text NOT NULL,
	"series_ends_at" timestamp with time zone NOT NULL,
	"announce_ahead_minutes" integer DEFAULT 1440 NOT NULL,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenances_ends_after_start" CHECK ("maintenances"."ends_at" > "maintenances"."starts_at"),
	CONSTRAINT "maintenances_announce_ahead" CHECK ("maintenances"."announce_ahead_minutes" >= 0),
	CONSTRAINT "maintenances_series_ends" CHECK ("maintenances"."series_ends_at" >= "maintenances"."ends_at")
);
--> statement-breakpoint
ALTER TABLE "maintenance_targets" ADD CONSTRAINT "maintenance_targets_maintenance_id_maintenances_id_fk" FOREIGN KEY ("maintenance_id") REFERENCES "public"."maintenances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_targets" ADD CONSTRAINT "maintenance_targets_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_targets" ADD CONSTRAINT "maintenance_targets_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_targets_service_idx" ON "maintenance_targets" USING btree ("service_id","environment_id");--> statement-breakpoint
CREATE INDEX "maintenances_series_idx" ON "maintenances" USING btree ("series_ends_at","starts_at");