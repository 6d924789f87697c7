CREATE TYPE "public"."subscriber_kind" AS ENUM('email', 'webhook');--> statement-breakpoint
CREATE TYPE "public"."subscriber_state" AS ENUM('pending', 'confirmed', 'unsubscribed');--> statement-breakpoint
CREATE TABLE "status_page_subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"page_id" uuid NOT NULL,
	"kind" "subscriber_kind" NOT NULL,
	"email" text,
	"secrets_enc" text,
	"service_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"state" "subscriber_state" DEFAULT 'pending' NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_ip" text,
	CONSTRAINT "status_page_subscribers_kind_shape" CHECK (("status_page_subscribers"."kind" = 'email' and "status_page_subscribers"."email" is not null and "status_page_subscribers"."email" = lower("status_page_subscribers"."email")) or ("status_page_subscribers"."kind" = 'webhook' and "status_page_subscribers"."secrets_enc" is not null))
);
--> statement-breakpoint
ALTER TABLE "notification_outbox" ALTER COLUMN "receiver_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_outbox" ALTER COLUMN "integration_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "subscriber_id" uuid;--> statement-breakpoint
ALTER TABLE "status_pages" ADD COLUMN "mail_integration_id" uuid;--> statement-breakpoint
ALTER TABLE "status_page_subscribers" ADD CONSTRAINT "status_page_subscribers_page_id_status_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."status_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "status_page_subscribers_email_idx" ON "status_page_subscribers" USING btree ("page_id","email") WHERE "status_page_subscribers"."state" <> 'unsubscribed' and "status_page_subscribers"."email" is not null;--> statement-breakpoint
CREATE INDEX "status_page_subscribers_page_idx" ON "status_page_subscribers" USING btree ("page_id","state");--> statement-breakpoint
CREATE INDEX "status_page_subscribers_ip_idx" ON "status_page_subscribers" USING btree ("created_ip","created_at");--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_subscriber_id_status_page_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."status_page_subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_pages" ADD CONSTRAINT "status_pages_mail_integration_id_receiver_integrations_id_fk" FOREIGN KEY ("mail_integration_id") REFERENCES "public"."receiver_integrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_outbox_subscriber_idx" ON "notification_outbox" USING btree ("subscriber_id","created_at") WHERE "notification_outbox"."subscriber_id" is not null;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_one_target" CHECK (("notification_outbox"."integration_id" is null) <> ("notification_outbox"."subscriber_id" is null));