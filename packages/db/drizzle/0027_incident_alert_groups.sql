CREATE TABLE "incident_alert_groups" (
	"incident_id" uuid NOT NULL,
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"group_labels" jsonb NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"alerts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_tick_at" timestamp with time zone NOT NULL,
	"all_resolved_at" timestamp with time zone,
	CONSTRAINT "incident_alert_groups_incident_id_route_id_group_key_pk" PRIMARY KEY("incident_id","route_id","group_key")
);
--> statement-breakpoint
ALTER TABLE "incident_alert_groups" ADD CONSTRAINT "incident_alert_groups_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_alert_groups_group_idx" ON "incident_alert_groups" USING btree ("route_id","group_key");