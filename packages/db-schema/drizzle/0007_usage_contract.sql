-- C5 for usage_counters (FORCE), and C12 metering: the app role counts (insert, upsert) and reads;
-- it never deletes a tenant's usage.
ALTER TABLE "usage_counters" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON usage_counters TO %I', app);
  EXECUTE format('GRANT SELECT ON usage_counters TO %I', admin);
END
$grants$;
