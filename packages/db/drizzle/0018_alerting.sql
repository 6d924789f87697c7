CREATE TYPE "public"."alert_rule_kind" AS ENUM('monitor', 'metric', 'absence');--> statement-breakpoint
CREATE TYPE "public"."alert_source" AS ENUM('rule', 'external');--> statement-breakpoint
CREATE TYPE "public"."alert_state" AS ENUM('pending', 'firing', 'recovering', 'nodata', 'error', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."alert_error_policy" AS ENUM('Alerting', 'Error', 'Normal', 'KeepLast');--> statement-breakpoint
CREATE TYPE "public"."alert_no_data_policy" AS ENUM('Alerting', 'NoData', 'Normal', 'KeepLast');--> statement-breakpoint
CREATE TYPE "public"."alert_rule_health" AS ENUM('unknown', 'ok', 'nodata', 'error');--> statement-breakpoint
CREATE TABLE "alert_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "alert_source" NOT NULL,
	"rule_id" uuid,
	"fingerprint" char(16) NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" "alert_state" NOT NULL,
	"reason" text NOT NULL,
	"value" double precision,
	"active_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"keep_firing_since" timestamp with time zone,
	"missed_evals" integer DEFAULT 0 NOT NULL,
	"last_eval_at" timestamp with time zone,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"ends_at_from_timeout" boolean DEFAULT false NOT NULL,
	"generator_url" text,
	"last_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rule_schedule" (
	"rule_id" uuid PRIMARY KEY NOT NULL,
	"interval_seconds" integer NOT NULL,
	"phase_offset_ms" integer NOT NULL,
	"next_eval_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"health" "alert_rule_health" DEFAULT 'unknown' NOT NULL,
	"last_error" text,
	"last_eval_at" timestamp with time zone,
	"last_eval_duration_ms" double precision
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "alert_rule_kind" NOT NULL,
	"service_id" uuid,
	"default_for_check_id" uuid,
	"condition" jsonb NOT NULL,
	"for_seconds" integer DEFAULT 0 NOT NULL,
	"keep_firing_for_seconds" integer DEFAULT 0 NOT NULL,
	"interval_seconds" integer NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"no_data_policy" "alert_no_data_policy" DEFAULT 'NoData' NOT NULL,
	"error_policy" "alert_error_policy" DEFAULT 'KeepLast' NOT NULL,
	"series_limit" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" uuid,
	"fingerprint" char(16) NOT NULL,
	"labels" jsonb NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"reason" text NOT NULL,
	"value" double precision,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inhibition_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source_matchers" jsonb NOT NULL,
	"target_matchers" jsonb NOT NULL,
	"equal" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matchers" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_by_user_id" text,
	"comment" text NOT NULL,
	"replaces_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_instances" ADD CONSTRAINT "alert_instances_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rule_schedule" ADD CONSTRAINT "alert_rule_schedule_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_default_for_check_id_checks_id_fk" FOREIGN KEY ("default_for_check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_transitions" ADD CONSTRAINT "alert_transitions_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silences" ADD CONSTRAINT "silences_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_instances_rule_fp_idx" ON "alert_instances" USING btree ("rule_id","fingerprint") WHERE "alert_instances"."rule_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_instances_external_fp_idx" ON "alert_instances" USING btree ("fingerprint") WHERE "alert_instances"."source" = 'external';--> statement-breakpoint
CREATE INDEX "alert_instances_state_idx" ON "alert_instances" USING btree ("state");--> statement-breakpoint
CREATE INDEX "alert_rule_schedule_due_idx" ON "alert_rule_schedule" USING btree ("next_eval_at");--> statement-breakpoint
CREATE INDEX "alert_rules_service_idx" ON "alert_rules" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rules_default_check_idx" ON "alert_rules" USING btree ("default_for_check_id");--> statement-breakpoint
CREATE INDEX "alert_transitions_rule_idx" ON "alert_transitions" USING btree ("rule_id","fingerprint","at");--> statement-breakpoint
CREATE INDEX "alert_transitions_at_idx" ON "alert_transitions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "silences_ends_idx" ON "silences" USING btree ("ends_at");