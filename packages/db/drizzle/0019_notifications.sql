CREATE TYPE "public"."attempt_outcome" AS ENUM('delivered', 'retryable', 'permanent', 'breaker_open', 'rate_limited');--> statement-breakpoint
CREATE TYPE "public"."breaker_state" AS ENUM('closed', 'open', 'half_open');--> statement-breakpoint
CREATE TYPE "public"."delivery_state" AS ENUM('pending', 'delivered', 'superseded', 'dead');--> statement-breakpoint
CREATE TYPE "public"."integration_kind" AS ENUM('webhook', 'slack', 'email', 'pagerduty', 'teams', 'discord');--> statement-breakpoint
CREATE TABLE "alert_group_members" (
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"fingerprint" char(16) NOT NULL,
	"alert_id" uuid,
	"rule_id" uuid,
	"labels" jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"generator_url" text,
	"value" double precision,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_group_members_route_id_group_key_fingerprint_pk" PRIMARY KEY("route_id","group_key","fingerprint")
);
--> statement-breakpoint
CREATE TABLE "alert_groups" (
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"group_labels" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"next_flush_at" timestamp with time zone NOT NULL,
	"last_tick_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "alert_groups_route_id_group_key_pk" PRIMARY KEY("route_id","group_key")
);
--> statement-breakpoint
CREATE TABLE "endpoint_breakers" (
	"endpoint" text PRIMARY KEY NOT NULL,
	"state" "breaker_state" DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"recent" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"opened_at" timestamp with time zone,
	"open_until" timestamp with time zone,
	"open_window_ms" integer DEFAULT 30000 NOT NULL,
	"probe_owner" text,
	"probe_until" timestamp with time zone,
	"tokens" double precision DEFAULT 0 NOT NULL,
	"tokens_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"outbox_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"duration_ms" double precision,
	"outcome" "attempt_outcome" NOT NULL,
	"status" integer,
	"error" text,
	"retry_after_ms" integer,
	"instance" text
);
--> statement-breakpoint
CREATE TABLE "notification_log" (
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"receiver_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"firing" jsonb NOT NULL,
	"resolved" jsonb NOT NULL,
	"tick_at" timestamp with time zone NOT NULL,
	"sequence" integer NOT NULL,
	"receiver_data" jsonb,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_log_route_id_group_key_receiver_id_integration_id_pk" PRIMARY KEY("route_id","group_key","receiver_id","integration_id")
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"receiver_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"tick_at" timestamp with time zone NOT NULL,
	"sequence" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"endpoint" text NOT NULL,
	"state" "delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	CONSTRAINT "notification_outbox_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "notification_ticks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"route_id" text NOT NULL,
	"group_key" text NOT NULL,
	"group_labels" jsonb NOT NULL,
	"receiver_id" uuid,
	"tick_at" timestamp with time zone NOT NULL,
	"firing" jsonb NOT NULL,
	"resolved" jsonb NOT NULL,
	"suppressed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decisions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fingerprints" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receiver_integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"receiver_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "integration_kind" NOT NULL,
	"send_resolved" boolean DEFAULT true NOT NULL,
	"settings" jsonb NOT NULL,
	"secrets_enc" text,
	"secret_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receivers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "route_tree" (
	"id" text PRIMARY KEY DEFAULT 'default' NOT NULL,
	"tree" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_intervals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"intervals" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_intervals_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "silences" ADD COLUMN "suppress_resolve" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_group_members" ADD CONSTRAINT "alert_group_members_route_id_group_key_alert_groups_route_id_group_key_fk" FOREIGN KEY ("route_id","group_key") REFERENCES "public"."alert_groups"("route_id","group_key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_outbox_id_notification_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."notification_outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_log" ADD CONSTRAINT "notification_log_integration_id_receiver_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."receiver_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_integration_id_receiver_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."receiver_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiver_integrations" ADD CONSTRAINT "receiver_integrations_receiver_id_receivers_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."receivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "route_tree" ADD CONSTRAINT "route_tree_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_group_members_fingerprint_idx" ON "alert_group_members" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "alert_groups_next_flush_idx" ON "alert_groups" USING btree ("next_flush_at");--> statement-breakpoint
CREATE INDEX "notification_attempts_outbox_idx" ON "notification_attempts" USING btree ("outbox_id","attempt");--> statement-breakpoint
CREATE INDEX "notification_log_expires_idx" ON "notification_log" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "notification_outbox_due_idx" ON "notification_outbox" USING btree ("next_attempt_at") WHERE "notification_outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "notification_outbox_group_idx" ON "notification_outbox" USING btree ("route_id","group_key","integration_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_outbox_state_idx" ON "notification_outbox" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "notification_ticks_tick_idx" ON "notification_ticks" USING btree ("tick_at");--> statement-breakpoint
CREATE INDEX "notification_ticks_group_idx" ON "notification_ticks" USING btree ("route_id","group_key","tick_at");--> statement-breakpoint
CREATE INDEX "notification_ticks_fingerprints_idx" ON "notification_ticks" USING gin ("fingerprints");--> statement-breakpoint
CREATE UNIQUE INDEX "receiver_integrations_position_idx" ON "receiver_integrations" USING btree ("receiver_id","position");--> statement-breakpoint
-- The routing tree always exists: a root with Alertmanager's default timers and no receiver until one is chosen.
INSERT INTO "route_tree" ("id", "tree", "version") VALUES ('default', '{"id":"root","matchers":[],"continue":false,"groupBy":["alertname"],"groupWaitSeconds":30,"groupIntervalSeconds":300,"repeatIntervalSeconds":14400,"muteTimeIntervals":[],"activeTimeIntervals":[],"children":[]}'::jsonb, 1) ON CONFLICT DO NOTHING;
