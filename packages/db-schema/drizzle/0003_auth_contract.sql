-- Auth tables (sessions, accounts, verifications, invitations), API tokens, and the signal that
-- lets every process drop a cached tenant the moment it changes. Role names come from the
-- migrating session, as in 0001_contract.sql.

-- C5: api_tokens is a tenant table under RLS; without FORCE the owner would bypass it.
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  -- Better Auth writes sessions, credentials and one-time values as the app role.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, accounts, verifications TO %I', app);
  -- Invitations are created, accepted, rejected and canceled; never deleted by the app.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON invitations TO %I', app);
  -- Tokens are revoked (revoked_at), not deleted, so their last use stays on record.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON api_tokens TO %I', app);
  EXECUTE format('GRANT SELECT ON sessions, accounts, verifications, invitations, api_tokens TO %I', admin);
END
$grants$;--> statement-breakpoint

-- A tenant's status, slug or placement changed (or it is gone): resolvers in every process
-- listen on this channel and drop their cached copy (the TTL is only a backstop).
CREATE FUNCTION studio_notify_tenant_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('studio_tenant_changed', OLD.id::text);
  ELSE
    PERFORM pg_notify('studio_tenant_changed', NEW.id::text);
  END IF;
  RETURN NULL;
END
$fn$;--> statement-breakpoint

CREATE TRIGGER tenants_notify_change AFTER UPDATE OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION studio_notify_tenant_change();
