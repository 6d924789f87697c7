CREATE TABLE "sign_in_throttle" (
	"account" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone
);
--> statement-breakpoint
-- Per-account counts now live in sign_in_throttle; the old fixed-window ones would only linger.
DELETE FROM "rate_limits" WHERE "key" LIKE 'signin:account:%';
