-- Loopback is now refused to checks by default. Installs seeded before that keep their self-check of the API's
-- own /readyz working: its exact address and port become an outbound allow entry, recorded in the audit log.
WITH self AS (
  SELECT regexp_match(c."config"->>'url', '^(https?)://(\[[0-9A-Fa-f:.]+\]|[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)(?::([0-9]+))?(?:[/?#]|$)') AS m
  FROM "checks" c JOIN "services" s ON s."id" = c."service_id"
  WHERE s."slug" = 'sextant-api' AND c."name" = 'readiness' AND c."kind" = 'http'
), entries AS (
  SELECT DISTINCT m[2] || ':' || coalesce(m[3], CASE m[1] WHEN 'https' THEN '443' ELSE '80' END) AS entry
  FROM self WHERE m IS NOT NULL
), inserted AS (
  INSERT INTO "settings" ("key", "value")
  SELECT 'probe.allow_networks', jsonb_agg(entry ORDER BY entry) FROM entries HAVING count(*) > 0
  ON CONFLICT ("key") DO NOTHING
  RETURNING "value"
)
INSERT INTO "audit_log" ("actor_type", "actor_label", "action", "target_type", "target_id", "diff")
SELECT 'system', 'migration 0012', 'settings.outbound', 'settings', 'probe.allow_networks',
  jsonb_build_object('before', jsonb_build_object('allow', '[]'::jsonb), 'after', jsonb_build_object('allow', "value"))
FROM inserted;
