-- An API key never does admin work (security requirement 24): keys minted as admin become maintainer keys, each
-- with an audit row. The API also caps any key at maintainer when it verifies one, so the rule cannot come back.
WITH demoted AS (
	UPDATE "api_keys" SET "role" = 'maintainer'
	WHERE "role" = 'admin'
	RETURNING "id", "name", "prefix"
)
INSERT INTO "audit_log" ("actor_type", "actor_label", "action", "target_type", "target_id", "diff")
SELECT 'system', 'migration', 'api_key.role_change', 'api_key', "id"::text,
	jsonb_build_object(
		'before', jsonb_build_object('name', "name", 'prefix', "prefix", 'role', 'admin'),
		'after', jsonb_build_object('name', "name", 'prefix', "prefix", 'role', 'maintainer', 'reason', 'API keys are at most maintainer')
	)
FROM demoted;
