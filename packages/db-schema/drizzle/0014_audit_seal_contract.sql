-- C10, sealed after commit. Until 0013 a BEFORE INSERT trigger chained every event as it was
-- written: a per-tenant advisory lock, a look-up of the previous event and a SHA-256 in the
-- action's own transaction, about 45 us of server time per audited write, more than the audit
-- row itself. Now an event is written unsealed (seq, prev_hash and hash null) and
-- studio_audit_seal() chains the tenant's unsealed events, oldest first, in a transaction of its
-- own: the scoped client calls it in the background about a second after an audited write
-- commits, and verifyAuditChain calls it before it checks. What protects a row does not change:
-- no role but the owner may UPDATE or DELETE, the trigger below refuses every change to an
-- event's content (for the owner too), and the chain shows an edit made with the triggers off.
DROP TRIGGER audit_events_chain ON audit_events;--> statement-breakpoint
DROP FUNCTION studio_audit_chain();--> statement-breakpoint

-- Seals the unsealed events of the tenant in app.tenant_id (the caller's own, so the function
-- opens nothing to the app role that RLS would not), at most max_events of them, and returns how
-- many it sealed. SECURITY DEFINER: it runs as the owner, the one role that may UPDATE, and only
-- ever fills the three chain columns of rows that have none. The advisory lock serialises the
-- tenant's sealers; each statement after it takes a fresh snapshot (READ COMMITTED), so it sees
-- what the previous holder sealed. Events that commit while it runs are left for the next call.
CREATE FUNCTION studio_audit_seal(max_events integer DEFAULT 10000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  last_seq bigint;
  last_hash text;
  next_hash text;
  r record;
  sealed integer := 0;
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'studio_audit_seal() seals the current tenant''s events: app.tenant_id is not set'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
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
$fn$;--> statement-breakpoint

-- Append-only, as before, with one exception: sealing, i.e. an UPDATE that fills seq, prev_hash
-- and hash of an unsealed event and changes nothing else. A sealed event can never be resealed,
-- and no UPDATE may touch what happened, who did it, to what, or when.
CREATE OR REPLACE FUNCTION studio_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events' THEN
    IF OLD.tenant_id::text = current_setting('studio.erasing_tenant', true) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_events'
     AND OLD.seq IS NULL AND OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
     AND (NEW.tenant_id, NEW.id, NEW.created_at, NEW.actor_id, NEW.action, NEW.target, NEW.payload)
         IS NOT DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.created_at, OLD.actor_id, OLD.action, OLD.target, OLD.payload) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Write a new event that corrects the record instead.';
END
$fn$;--> statement-breakpoint

-- The app and admin roles write an event's content, never its chain or its time: a forged seq or
-- hash could break the chain for good, a chosen created_at could backdate an event.
DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('REVOKE INSERT ON audit_events FROM %I, %I', app, admin);
  EXECUTE format('GRANT INSERT (tenant_id, id, actor_id, action, target, payload) ON audit_events TO %I, %I', app, admin);
  REVOKE ALL ON FUNCTION studio_audit_seal(integer) FROM PUBLIC;
  EXECUTE format('GRANT EXECUTE ON FUNCTION studio_audit_seal(integer) TO %I, %I', app, admin);
END
$grants$;
