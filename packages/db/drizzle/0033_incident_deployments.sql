CREATE TABLE "incident_deployments" (
	"incident_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"how" text NOT NULL,
	"linked_by" text,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_deployments_incident_id_deployment_id_pk" PRIMARY KEY("incident_id","deployment_id"),
	CONSTRAINT "incident_deployments_how" CHECK (how in ('auto', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "incident_deployments" ADD CONSTRAINT "incident_deployments_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_deployments" ADD CONSTRAINT "incident_deployments_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_deployments" ADD CONSTRAINT "incident_deployments_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_deployments_deployment_idx" ON "incident_deployments" USING btree ("deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_service_env_finished_idx" ON "deployments" USING btree ("service_id","environment_id","finished_at");--> statement-breakpoint
CREATE INDEX "release_commits_sha_idx" ON "release_commits" USING btree ("sha");