CREATE TYPE "public"."status_page_visibility" AS ENUM('public', 'private');--> statement-breakpoint
CREATE TABLE "status_page_components" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"page_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"group_name" text,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_page_environments" (
	"page_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	CONSTRAINT "status_page_environments_page_id_environment_id_pk" PRIMARY KEY("page_id","environment_id")
);
--> statement-breakpoint
CREATE TABLE "status_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"visibility" "status_page_visibility" DEFAULT 'private' NOT NULL,
	"logo_url" text,
	"footer" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_pages_slug_shape" CHECK ("status_pages"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
ALTER TABLE "status_page_components" ADD CONSTRAINT "status_page_components_page_id_status_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."status_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_page_components" ADD CONSTRAINT "status_page_components_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_page_environments" ADD CONSTRAINT "status_page_environments_page_id_status_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."status_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_page_environments" ADD CONSTRAINT "status_page_environments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "status_page_components_pair_idx" ON "status_page_components" USING btree ("page_id","service_id");--> statement-breakpoint
CREATE INDEX "status_page_components_service_idx" ON "status_page_components" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "status_pages_slug_idx" ON "status_pages" USING btree ("slug");