-- API instances may keep verified API keys for a few seconds; a change that can refuse a key or lower its role
-- tells every instance at commit. Only these columns: a key's last use is written every minute and changes nothing.
CREATE FUNCTION api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sextant_api_keys', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify AFTER UPDATE OF key_hash, role, revoked_at, expires_at, created_by ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_delete AFTER DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify AFTER UPDATE OF role, disabled_at ON users
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_delete AFTER DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_notify();
