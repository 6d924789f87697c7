-- Status pages are built once per API instance and cached; any change that can alter a page tells every instance.
CREATE FUNCTION status_pages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sextant_status', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON status_pages
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON status_page_components
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON status_page_environments
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_impacts
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_updates
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenances
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON maintenance_targets
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
-- A monitor's state changes (and pauses) are rows here; checks/heartbeats rows are rewritten on every run or ping,
-- so only their creation, removal and moves between services, environments or pause are watched.
CREATE TRIGGER status_notify AFTER INSERT ON monitor_events
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR DELETE OR UPDATE OF paused, service_id, environment_id ON checks
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
--> statement-breakpoint
CREATE TRIGGER status_notify AFTER INSERT OR DELETE OR UPDATE OF paused, service_id, environment_id ON heartbeats
  FOR EACH STATEMENT EXECUTE FUNCTION status_pages_notify();
