-- Issue 23: a workspace keeps at least one owner, also when two owners demote (or remove) each
-- other at the same moment. The members page checks "not the only owner" first, but each check
-- read the other owner still in place, and both changes committed: no owner left. Now the
-- database serializes owner changes per tenant (an advisory lock until the transaction ends) and
-- counts the owners again after the wait: the second change sees the first and is refused
-- (check_violation, which the members page answers in words).
--
-- Who it binds: the roles that change memberships as a request (Better Auth's auth role). SECURITY
-- DEFINER for the advisory lock, which no request role may take itself; so the role checked is
-- the connection's (session_user), not the function's. The owner role and superusers pass, as in 0023: erasing a tenant, importing one, fixing data by
-- hand. A membership that goes with its tenant or its user (erasure, account deletion) passes too.
-- On Citus the trigger fires on shards (TG_TABLE_NAME is the shard's name), where it steps aside:
-- there the members page's own check is what holds (docs/scaling.md).
CREATE OR REPLACE FUNCTION studio_keep_an_owner() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
BEGIN
  IF TG_TABLE_NAME <> TG_ARGV[0]
     OR OLD.role <> 'owner'
     OR (TG_OP = 'UPDATE' AND NEW.role = 'owner' AND NEW.tenant_id = OLD.tenant_id)
     OR pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  -- One owner change per tenant at a time; the next waits here until this transaction ends.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('studio_keep_an_owner:' || OLD.tenant_id::text, 0));
  -- A fresh snapshot per statement (read committed): what a change that held the lock committed is seen.
  IF EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = OLD.tenant_id)
     AND EXISTS (SELECT 1 FROM public.users u WHERE u.id = OLD.user_id)
     AND NOT EXISTS (SELECT 1 FROM public.memberships m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'owner' AND m.id <> OLD.id) THEN
    RAISE EXCEPTION 'studio_keep_an_owner: a workspace keeps at least one owner'
      USING ERRCODE = 'check_violation', HINT = 'Make someone else an owner first.';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION studio_keep_an_owner() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER memberships_keep_an_owner BEFORE UPDATE OF role, tenant_id OR DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION studio_keep_an_owner('memberships');
