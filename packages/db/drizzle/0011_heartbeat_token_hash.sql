ALTER TABLE "heartbeats" ADD COLUMN "token_hash" text;--> statement-breakpoint
ALTER TABLE "heartbeats" ADD COLUMN "token_prefix" text;--> statement-breakpoint
-- Ping tokens become SHA-256 hashes (hex of the UTF-8 text, as the API computes them) and a 6-character
-- prefix; existing ping URLs keep working. sha256(bytea) is built into Postgres 11+, no pgcrypto needed.
UPDATE "heartbeats" SET "token_hash" = encode(sha256(convert_to("token", 'UTF8')), 'hex'), "token_prefix" = left("token", 6);--> statement-breakpoint
DROP INDEX "heartbeats_token_idx";--> statement-breakpoint
ALTER TABLE "heartbeats" ALTER COLUMN "token_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "heartbeats" ALTER COLUMN "token_prefix" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "heartbeats_token_hash_idx" ON "heartbeats" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "heartbeats" DROP COLUMN "token";
