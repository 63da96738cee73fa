-- C15: each role can do only its job. Until now the product role (studio_app) also ran the auth
-- library and the job queue, so one statement of a product could read every session token and
-- password hash, make its user a platform admin, or read and write every tenant's jobs. Now:
--   product (app)  DML on tenant tables; SELECT on tenants and plans (the registry the resolver
--                  reads), and on memberships and users of the current tenant only (RLS below);
--                  nothing on credentials, invitations or the queue.
--   auth           the auth library's tables: users, accounts, sessions, verifications,
--                  memberships, invitations, and the tenants registry read-only.
--   jobs           the queue schema studio_jobs (granted by db:migrate after pg-boss installs it).
--   admin          as before, minus credentials: no session tokens, password hashes or
--                  verification values (the console never shows them, C16).
-- db:check compares the live grants with the declared map (src/privileges.ts).

DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  auth text := current_setting('studio.auth_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('REVOKE ALL ON users, memberships, sessions, accounts, verifications, invitations FROM %I', app);
  EXECUTE format('GRANT SELECT ON memberships, users TO %I', app);

  EXECUTE format('GRANT SELECT, INSERT, DELETE ON users TO %I', auth);
  EXECUTE format('GRANT UPDATE (name, email, email_verified, image, updated_at) ON users TO %I', auth);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, accounts, verifications, memberships TO %I', auth);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON invitations TO %I', auth);
  EXECUTE format('GRANT SELECT ON tenants TO %I', auth);

  EXECUTE format('REVOKE ALL ON sessions, accounts, verifications FROM %I', admin);

  -- Memberships and users: the product role sees its current tenant's, the auth library all.
  -- The owner is not bound (no FORCE: migrations, seed and moves read across tenants); the admin
  -- role has BYPASSRLS.
  ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
  ALTER TABLE users ENABLE ROW LEVEL SECURITY;
  EXECUTE format('CREATE POLICY product_current_tenant ON memberships FOR SELECT TO %I USING (tenant_id = (select studio_tenant()))', app);
  EXECUTE format('CREATE POLICY product_current_tenant ON users FOR SELECT TO %I USING (id IN (select m.user_id from memberships m where m.tenant_id = (select studio_tenant())))', app);
  EXECUTE format('CREATE POLICY auth_library ON memberships FOR ALL TO %I USING (true) WITH CHECK (true)', auth);
  EXECUTE format('CREATE POLICY auth_library ON users FOR ALL TO %I USING (true) WITH CHECK (true)', auth);
END
$grants$;--> statement-breakpoint

-- Only the owner makes a platform admin (the seed, `pnpm studio`): not the auth library's role,
-- whatever a sign-up or profile update sends. Column grants already keep UPDATE off the flag;
-- this covers INSERT, which Better Auth sends with every column.
CREATE FUNCTION studio_users_admin_flag() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.is_platform_admin AND (TG_OP = 'INSERT' OR NOT OLD.is_platform_admin)
     AND current_user <> (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID) THEN
    RAISE EXCEPTION 'only the owner role may make a platform admin'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint

CREATE TRIGGER users_admin_flag BEFORE INSERT OR UPDATE OF is_platform_admin ON users
  FOR EACH ROW EXECUTE FUNCTION studio_users_admin_flag();--> statement-breakpoint

-- The audit seal works on the verified tenant (C15), not on a setting the caller may forge.
CREATE OR REPLACE FUNCTION studio_audit_seal(max_events integer DEFAULT 10000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  tenant uuid := studio_tenant();
  last_seq bigint;
  last_hash text;
  next_hash text;
  r record;
  sealed integer := 0;
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'studio_audit_seal() seals the current tenant''s events: no valid tenant context is set'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- The product role cannot take advisory locks (db:migrate revokes them from PUBLIC), so no
  -- statement of a product can hold a tenant's seal back.
  PERFORM pg_advisory_xact_lock(hashtextextended('studio.audit:' || tenant::text, 0));
  SELECT e.seq, e.hash INTO last_seq, last_hash
    FROM audit_events e WHERE e.tenant_id = tenant AND e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0);
  FOR r IN
    SELECT e.id, e.created_at, e.actor_id, e.action, e.target, e.payload
      FROM audit_events e WHERE e.tenant_id = tenant AND e.seq IS NULL
      ORDER BY e.created_at, e.id LIMIT max_events
  LOOP
    last_seq := last_seq + 1;
    next_hash := studio_audit_hash(last_hash, tenant, last_seq, r.created_at, r.actor_id, r.action, r.target, r.payload);
    UPDATE audit_events SET seq = last_seq, prev_hash = last_hash, hash = next_hash
      WHERE tenant_id = tenant AND id = r.id;
    last_hash := next_hash;
    sealed := sealed + 1;
  END LOOP;
  RETURN sealed;
END
$fn$;
