CREATE TABLE "flag_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"flag_id" uuid NOT NULL,
	"environment_id" uuid,
	"actor_user_id" text,
	"summary" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_changes_summary_length" CHECK (char_length("flag_changes"."summary") <= 500)
);
--> statement-breakpoint
CREATE TABLE "flag_environments" (
	"flag_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"strategies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"variant_stickiness" text DEFAULT 'default' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flag_environments_flag_id_environment_id_pk" PRIMARY KEY("flag_id","environment_id")
);
--> statement-breakpoint
CREATE TABLE "flag_services" (
	"flag_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "flag_services_flag_id_service_id_pk" PRIMARY KEY("flag_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"description" text,
	"type" text NOT NULL,
	"owner_user_id" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"stale_after_days" integer DEFAULT 30 NOT NULL,
	"last_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_evaluated_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flags_type" CHECK (type in ('boolean', 'string', 'number', 'json')),
	CONSTRAINT "flags_key_length" CHECK (char_length("flags"."key") between 1 and 200),
	CONSTRAINT "flags_description_length" CHECK (char_length("flags"."description") <= 2000),
	CONSTRAINT "flags_stale_after_days" CHECK ("flags"."stale_after_days" between 1 and 3650)
);
--> statement-breakpoint
ALTER TABLE "flag_changes" ADD CONSTRAINT "flag_changes_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_changes" ADD CONSTRAINT "flag_changes_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_changes" ADD CONSTRAINT "flag_changes_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_environments" ADD CONSTRAINT "flag_environments_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_environments" ADD CONSTRAINT "flag_environments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_environments" ADD CONSTRAINT "flag_environments_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_services" ADD CONSTRAINT "flag_services_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_services" ADD CONSTRAINT "flag_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flag_changes_flag_at_idx" ON "flag_changes" USING btree ("flag_id","at");--> statement-breakpoint
CREATE INDEX "flag_changes_at_idx" ON "flag_changes" USING btree ("at");--> statement-breakpoint
CREATE INDEX "flag_environments_environment_idx" ON "flag_environments" USING btree ("environment_id");--> statement-breakpoint
CREATE INDEX "flag_services_service_idx" ON "flag_services" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "flags_key_idx" ON "flags" USING btree ("key");