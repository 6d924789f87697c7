CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"release_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"state" text NOT NULL,
	"external_id" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"promoted_from_deployment_id" uuid,
	"override" boolean DEFAULT false NOT NULL,
	"override_reason" text,
	"created_by_user_id" text,
	"created_by_api_key_id" uuid,
	CONSTRAINT "deployments_state" CHECK (state in ('queued', 'in_progress', 'succeeded', 'failed', 'rolled_back')),
	CONSTRAINT "deployments_override_reason" CHECK (not "deployments"."override" or "deployments"."override_reason" is not null),
	CONSTRAINT "deployments_external_id_length" CHECK (char_length("deployments"."external_id") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "release_commits" (
	"release_id" uuid NOT NULL,
	"sha" text NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"message" text,
	CONSTRAINT "release_commits_release_id_sha_pk" PRIMARY KEY("release_id","sha"),
	CONSTRAINT "release_commits_sha_hex" CHECK ("release_commits"."sha" ~ '^[0-9a-f]{7,40}$'),
	CONSTRAINT "release_commits_message_length" CHECK (char_length("release_commits"."message") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"version" text NOT NULL,
	"commit_sha" text,
	"notes" text,
	"artifact_url" text,
	"created_by_user_id" text,
	"created_by_api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "releases_version_length" CHECK (char_length("releases"."version") between 1 and 100),
	CONSTRAINT "releases_commit_sha_hex" CHECK ("releases"."commit_sha" ~ '^[0-9a-f]{7,40}$'),
	CONSTRAINT "releases_notes_length" CHECK (char_length("releases"."notes") <= 20000),
	CONSTRAINT "releases_artifact_url_http" CHECK ("releases"."artifact_url" ~ '^https?://' and char_length("releases"."artifact_url") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_promoted_from_deployment_id_deployments_id_fk" FOREIGN KEY ("promoted_from_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "release_commits" ADD CONSTRAINT "release_commits_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_external_id_idx" ON "deployments" USING btree ("service_id","environment_id","external_id") WHERE "deployments"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "deployments_latest_idx" ON "deployments" USING btree ("service_id","environment_id","queued_at","id");--> statement-breakpoint
CREATE INDEX "deployments_env_finished_idx" ON "deployments" USING btree ("environment_id","finished_at");--> statement-breakpoint
CREATE INDEX "deployments_release_env_idx" ON "deployments" USING btree ("release_id","environment_id");--> statement-breakpoint
CREATE INDEX "deployments_queued_idx" ON "deployments" USING btree ("queued_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_service_version_idx" ON "releases" USING btree ("service_id",lower("version"));--> statement-breakpoint
CREATE INDEX "releases_service_created_idx" ON "releases" USING btree ("service_id","created_at");