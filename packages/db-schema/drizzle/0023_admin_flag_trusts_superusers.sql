-- Issue 21: only the owner role may make a platform admin (0017), and a superuser could not
-- either: the trigger compared current_user with the table's owner by name. A superuser is above
-- the owner (it can SET ROLE to it), and `pnpm db:distribute`, which runs as one, copies every
-- users row into the reference table's placements, firing the trigger for each admin row. Now
-- the owner and the roles that have it (superusers, as in the audit stamp of 0022) pass; the
-- product, auth and admin roles are refused as before.
CREATE OR REPLACE FUNCTION studio_users_admin_flag() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.is_platform_admin AND (TG_OP = 'INSERT' OR NOT OLD.is_platform_admin)
     AND NOT pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
    RAISE EXCEPTION 'only the owner role may make a platform admin'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;
