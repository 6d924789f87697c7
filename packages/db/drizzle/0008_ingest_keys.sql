CREATE TABLE "metric_ingest_keys" (
	"api_key_id" uuid NOT NULL,
	"key" text NOT NULL,
	"accepted" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_ingest_keys_api_key_id_key_pk" PRIMARY KEY("api_key_id","key")
);
--> statement-breakpoint
ALTER TABLE "metric_ingest_keys" ADD CONSTRAINT "metric_ingest_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_ingest_keys_created_idx" ON "metric_ingest_keys" USING btree ("created_at");