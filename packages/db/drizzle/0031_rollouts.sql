CREATE TABLE "rollout_analysis_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rollout_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"step_index" integer NOT NULL,
	"template" jsonb NOT NULL,
	"phase" text DEFAULT 'running' NOT NULL,
	"canary_version" text NOT NULL,
	"stable_version" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rollout_measurements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" double precision,
	"canary" double precision,
	"stable" double precision,
	"error" text,
	"phase" text NOT NULL,
	CONSTRAINT "rollout_measurements_error_length" CHECK (char_length("rollout_measurements"."error") <= 500)
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"target_release_id" uuid NOT NULL,
	"stable_release_id" uuid,
	"rolled_back_to_release_id" uuid,
	"deployment_id" uuid,
	"steps" jsonb NOT NULL,
	"state" text NOT NULL,
	"step_index" integer DEFAULT 0 NOT NULL,
	"weight" integer DEFAULT 0 NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"pause_until" timestamp with time zone,
	"analysis" jsonb,
	"reason" text,
	"desired_version" text NOT NULL,
	"desired_weight" integer DEFAULT 0 NOT NULL,
	"desired_stable_version" text,
	"desired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reported_version" text,
	"reported_weight" integer,
	"reported_at" timestamp with time zone,
	"receiver_id" uuid,
	"changes" integer DEFAULT 0 NOT NULL,
	"next_check_at" timestamp with time zone,
	"created_by_user_id" text,
	"created_by_api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollouts_weight" CHECK ("rollouts"."weight" between 0 and 100 and "rollouts"."desired_weight" between 0 and 100),
	CONSTRAINT "rollouts_reported_weight" CHECK ("rollouts"."reported_weight" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "rollout_analysis_runs" ADD CONSTRAINT "rollout_analysis_runs_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_measurements" ADD CONSTRAINT "rollout_measurements_run_id_rollout_analysis_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."rollout_analysis_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_target_release_id_releases_id_fk" FOREIGN KEY ("target_release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_stable_release_id_releases_id_fk" FOREIGN KEY ("stable_release_id") REFERENCES "public"."releases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_rolled_back_to_release_id_releases_id_fk" FOREIGN KEY ("rolled_back_to_release_id") REFERENCES "public"."releases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rollout_analysis_runs_step_idx" ON "rollout_analysis_runs" USING btree ("rollout_id","attempt","step_index");--> statement-breakpoint
CREATE UNIQUE INDEX "rollout_measurements_at_idx" ON "rollout_measurements" USING btree ("run_id","metric","at");--> statement-breakpoint
CREATE UNIQUE INDEX "rollouts_open_idx" ON "rollouts" USING btree ("service_id","environment_id") WHERE state in ('pending', 'progressing', 'paused', 'analyzing', 'aborted', 'failed');--> statement-breakpoint
CREATE INDEX "rollouts_due_idx" ON "rollouts" USING btree ("next_check_at") WHERE "rollouts"."next_check_at" is not null;--> statement-breakpoint
CREATE INDEX "rollouts_service_env_created_idx" ON "rollouts" USING btree ("service_id","environment_id","created_at");