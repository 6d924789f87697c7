-- A key must have an owner: its role is capped by the owner's, and it dies with them. Keys without one
-- (owner deleted before this rule, or inserted by hand) are revoked, fail closed, each with an audit row.
WITH revoked AS (
	UPDATE "api_keys" SET "revoked_at" = now()
	WHERE "created_by" IS NULL AND "revoked_at" IS NULL
	RETURNING "id", "name", "prefix", "role"
)
INSERT INTO "audit_log" ("actor_type", "actor_label", "action", "target_type", "target_id", "diff")
SELECT 'system', 'migration', 'api_key.revoke', 'api_key', "id"::text,
	jsonb_build_object('after', jsonb_build_object('name', "name", 'prefix', "prefix", 'role', "role", 'reason', 'no owner'))
FROM revoked;
