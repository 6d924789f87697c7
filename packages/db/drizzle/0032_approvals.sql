ALTER TABLE "deployments" ADD COLUMN "approval" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "approved_by_user_id" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "requires_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_approval" CHECK ("deployments"."approval" in ('pending', 'approved'));