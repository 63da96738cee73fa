-- platform_events is append-only for everyone; the app role cannot see it (C11: cross-tenant
-- facts are the admin console's). tenant_moves is operator bookkeeping the console may read.
CREATE TRIGGER platform_events_append_only BEFORE UPDATE OR DELETE ON platform_events
  FOR EACH ROW EXECUTE FUNCTION studio_audit_append_only();--> statement-breakpoint
CREATE TRIGGER platform_events_no_truncate BEFORE TRUNCATE ON platform_events
  FOR EACH STATEMENT EXECUTE FUNCTION studio_audit_append_only();--> statement-breakpoint

-- A tenant's own trail goes with the tenant: `pnpm studio tenants erase`, and the purge at the
-- end of `tenants move`, delete it in a transaction that names the tenant in
-- studio.erasing_tenant. Only the owner holds DELETE on audit_events (the app and admin roles
-- may not delete at all), so the setting opens nothing to them. TRUNCATE stays refused.
CREATE OR REPLACE FUNCTION studio_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events' THEN
    IF OLD.tenant_id::text = current_setting('studio.erasing_tenant', true) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Write a new event that corrects the record instead.';
END
$fn$;--> statement-breakpoint

DO $grants$
DECLARE
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('GRANT SELECT, INSERT ON platform_events TO %I', admin);
  EXECUTE format('GRANT SELECT ON tenant_moves TO %I', admin);
END
$grants$;
