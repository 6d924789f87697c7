CREATE TYPE "public"."check_kind" AS ENUM('http', 'tcp');--> statement-breakpoint
CREATE TYPE "public"."monitor_status" AS ENUM('unknown', 'up', 'degraded', 'down', 'paused');--> statement-breakpoint
CREATE TYPE "public"."ping_kind" AS ENUM('success', 'start', 'fail');--> statement-breakpoint
CREATE TYPE "public"."service_tier" AS ENUM('critical', 'standard', 'experimental');--> statement-breakpoint
CREATE TABLE "check_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"check_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"degraded" boolean DEFAULT false NOT NULL,
	"latency_ms" double precision,
	"http_status" integer,
	"error_class" text,
	"message" text,
	"instance" text
);
--> statement-breakpoint
CREATE TABLE "check_rollups_hourly" (
	"check_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"failures" integer NOT NULL,
	"latency_p50" double precision,
	"latency_p95" double precision,
	"latency_p99" double precision,
	"latency_min" double precision,
	"latency_max" double precision,
	CONSTRAINT "check_rollups_hourly_check_id_hour_pk" PRIMARY KEY("check_id","hour")
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "check_kind" NOT NULL,
	"config" jsonb NOT NULL,
	"interval_seconds" integer NOT NULL,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"failure_threshold" integer DEFAULT 2 NOT NULL,
	"success_threshold" integer DEFAULT 1 NOT NULL,
	"latency_threshold_ms" integer,
	"paused" boolean DEFAULT false NOT NULL,
	"phase_offset_ms" integer NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"status" "monitor_status" DEFAULT 'unknown' NOT NULL,
	"status_since" timestamp with time zone DEFAULT now() NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"consecutive_successes" integer DEFAULT 0 NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_latency_ms" double precision,
	"last_error" text,
	"tls_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "heartbeat_pings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"heartbeat_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" "ping_kind" NOT NULL,
	"exit_code" integer,
	"duration_ms" integer,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "heartbeats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid,
	"name" text NOT NULL,
	"token" text NOT NULL,
	"period_seconds" integer,
	"cron" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"grace_seconds" integer DEFAULT 60 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"status" "monitor_status" DEFAULT 'unknown' NOT NULL,
	"status_since" timestamp with time zone DEFAULT now() NOT NULL,
	"last_ping_at" timestamp with time zone,
	"last_start_at" timestamp with time zone,
	"last_duration_ms" integer,
	"next_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"version" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ttl_seconds" integer DEFAULT 30 NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"registered_by_key" uuid,
	"registered_by_user" text
);
--> statement-breakpoint
CREATE TABLE "monitor_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"check_id" uuid,
	"heartbeat_id" uuid,
	"service_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_status" "monitor_status" NOT NULL,
	"to_status" "monitor_status" NOT NULL,
	"cause" text,
	"previous_duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text,
	"owner" text,
	"tier" "service_tier" DEFAULT 'standard' NOT NULL,
	"repository_url" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "check_results" ADD CONSTRAINT "check_results_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_rollups_hourly" ADD CONSTRAINT "check_rollups_hourly_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeat_pings" ADD CONSTRAINT "heartbeat_pings_heartbeat_id_heartbeats_id_fk" FOREIGN KEY ("heartbeat_id") REFERENCES "public"."heartbeats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_registered_by_key_api_keys_id_fk" FOREIGN KEY ("registered_by_key") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_registered_by_user_users_id_fk" FOREIGN KEY ("registered_by_user") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_heartbeat_id_heartbeats_id_fk" FOREIGN KEY ("heartbeat_id") REFERENCES "public"."heartbeats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "check_results_slot_idx" ON "check_results" USING btree ("check_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "check_results_started_idx" ON "check_results" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "checks_due_idx" ON "checks" USING btree ("next_run_at") WHERE not "checks"."paused";--> statement-breakpoint
CREATE INDEX "checks_service_idx" ON "checks" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "heartbeat_pings_hb_idx" ON "heartbeat_pings" USING btree ("heartbeat_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "heartbeats_token_idx" ON "heartbeats" USING btree ("token");--> statement-breakpoint
CREATE INDEX "heartbeats_due_idx" ON "heartbeats" USING btree ("next_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "instances_identity_idx" ON "instances" USING btree ("service_id","environment_id","host","port");--> statement-breakpoint
CREATE INDEX "instances_expiry_idx" ON "instances" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "monitor_events_check_idx" ON "monitor_events" USING btree ("check_id","at");--> statement-breakpoint
CREATE INDEX "monitor_events_heartbeat_idx" ON "monitor_events" USING btree ("heartbeat_id","at");--> statement-breakpoint
CREATE INDEX "monitor_events_service_idx" ON "monitor_events" USING btree ("service_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "services_name_lower_idx" ON "services" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "services_slug_idx" ON "services" USING btree ("slug");