-- What drizzle-kit cannot emit: FORCE row-level security and the grants of the app and admin
-- roles. Role names come from the migrating session (studio.app_role, studio.admin_role; see
-- src/migrate.ts) so they stay configurable. Migrations run as the owner role, which owns every
-- table; FORCE makes the owner obey the policies too (C5).

-- C5: without FORCE the table owner bypasses RLS.
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  -- App role: DML only where the products need it (C5: it owns nothing).
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON customers, invoices, lesson_plans TO %I', app);
  -- C10: the audit trail is append-only for the app.
  EXECUTE format('GRANT SELECT, INSERT ON audit_events TO %I', app);
  EXECUTE format('GRANT SELECT ON tenants, plans TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON users TO %I', app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO %I', app);
  EXECUTE format('GRANT INSERT ON signup_waitlist TO %I', app);

  -- Admin role (BYPASSRLS, apps/admin only, C11): reads everything, manages tenants and plans,
  -- and writes platform events to the audit trail.
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', admin);
  EXECUTE format('GRANT INSERT, UPDATE ON tenants, plans TO %I', admin);
  EXECUTE format('GRANT INSERT ON audit_events TO %I', admin);
END
$grants$;
