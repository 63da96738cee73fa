-- From the review of C15/C16 (issue 18 and 19):
-- The seal runs as the owner; Postgres searches pg_temp first for tables unless the path names it
-- last. TEMP is revoked from every other role, but a SECURITY DEFINER body should not depend on it.
ALTER FUNCTION studio_audit_seal(integer) SET search_path = pg_catalog, public, pg_temp;--> statement-breakpoint

-- C16: the console (admin role) never needs a token hash or an invitation id, so it cannot read
-- them: every other column of those tables stays readable.
DO $grants$
DECLARE
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('REVOKE SELECT ON api_tokens, invitations FROM %I', admin);
  EXECUTE format('GRANT SELECT (tenant_id, id, created_at, name, prefix, scopes, created_by, last_used_at, revoked_at) ON api_tokens TO %I', admin);
  EXECUTE format('GRANT SELECT (tenant_id, email, role, status, expires_at, inviter_id, created_at) ON invitations TO %I', admin);
END
$grants$;
