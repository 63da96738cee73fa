-- Break-glass grants (C11): the admin role records and ends them; nobody extends one. Column
-- UPDATE on revoked_at alone means a grant can end early but never last longer than it said,
-- which is what the tenant's audit trail promised its members. No DELETE: the record stays (a
-- tenant's erase removes its grants by the foreign key's cascade, as the owner). The app role
-- gets nothing: products never see who from the platform looked at a tenant, except through the
-- tenant's own audit_events rows.
DO $grants$
DECLARE
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('GRANT SELECT, INSERT ON break_glass_grants TO %I', admin);
  EXECUTE format('GRANT UPDATE (revoked_at) ON break_glass_grants TO %I', admin);
END
$grants$;
