CREATE TABLE "commit_first_deploys" (
	"service_id" uuid NOT NULL,
	"sha" text NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"deployment_id" uuid NOT NULL,
	"deployed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "commit_first_deploys_service_id_sha_pk" PRIMARY KEY("service_id","sha")
);
--> statement-breakpoint
ALTER TABLE "commit_first_deploys" ADD CONSTRAINT "commit_first_deploys_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commit_first_deploys" ADD CONSTRAINT "commit_first_deploys_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commit_first_deploys_deployed_idx" ON "commit_first_deploys" USING btree ("deployed_at");--> statement-breakpoint
CREATE INDEX "commit_first_deploys_deployment_idx" ON "commit_first_deploys" USING btree ("deployment_id");--> statement-breakpoint
-- Backfill: each (service, commit)'s first succeeded production deployment over the existing history.
INSERT INTO "commit_first_deploys" ("service_id", "sha", "committed_at", "deployment_id", "deployed_at")
SELECT DISTINCT ON (d."service_id", c."sha") d."service_id", c."sha", c."committed_at", d."id", d."finished_at"
FROM "deployments" d
JOIN "environments" e ON e."id" = d."environment_id" AND e."is_production"
JOIN "release_commits" c ON c."release_id" = d."release_id"
WHERE d."state" = 'succeeded' AND d."finished_at" IS NOT NULL
ORDER BY d."service_id", c."sha", d."finished_at", d."id";
