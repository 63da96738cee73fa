-- Issue 21: the audit triggers and the seal, right on plain Postgres and on Citus shards alike.
-- 1. studio_audit_append_only() read OLD.seq in a condition that also ran for platform_events, so
--    a DELETE on platform_events failed with "record old has no field seq" instead of the
--    append-only refusal (plpgsql evaluates the whole condition, AND does not short-circuit
--    field look-ups). Now nested IFs, and the logical table name comes from the trigger's
--    argument: on a Citus shard TG_TABLE_NAME is audit_events_<shardid>, which refused the seal's
--    UPDATE and the erase's DELETE. The triggers are recreated with their argument.
-- 2. Citus sends a column's default explicitly (created_at = now() evaluated on the coordinator),
--    and the app and admin roles had no INSERT on created_at (0014: the app may not choose an
--    event's time or chain), so every audit insert failed there. They may now name created_at,
--    and a BEFORE INSERT trigger stamps created_at := now() and nulls the chain for every role but
--    the owner (moves and imports copy events with their time and chain) and superusers: a time
--    given by the app is ignored instead of refused, the guarantee is the same.
-- 3. The seal serialised a tenant's sealers with pg_advisory_xact_lock, which on Citus holds on
--    the coordinator only. It now locks the tenant's registry row FOR NO KEY UPDATE: tenants is a
--    reference table there, so the lock holds on every node; audit inserts' foreign-key checks
--    take FOR KEY SHARE, which it does not block; and the product role cannot take it (no UPDATE
--    on tenants).

CREATE OR REPLACE FUNCTION studio_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  -- The logical table, whatever the physical one is called (a Citus shard: audit_events_102008).
  logical text := coalesce(TG_ARGV[0], TG_TABLE_NAME);
BEGIN
  IF logical = 'audit_events' AND TG_LEVEL = 'ROW' THEN
    IF TG_OP = 'DELETE' THEN
      -- The erase of a tenant deletes its trail (C13), and nothing else does.
      IF OLD.tenant_id::text = current_setting('studio.erasing_tenant', true) THEN
        RETURN OLD;
      END IF;
    ELSIF TG_OP = 'UPDATE' THEN
      -- Sealing: fills seq, prev_hash and hash of an unsealed event and changes nothing else.
      IF OLD.seq IS NULL AND OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
         AND (NEW.tenant_id, NEW.id, NEW.created_at, NEW.actor_id, NEW.action, NEW.target, NEW.payload)
             IS NOT DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.created_at, OLD.actor_id, OLD.action, OLD.target, OLD.payload) THEN
        RETURN NEW;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', logical, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Write a new event that corrects the record instead.';
END
$fn$;--> statement-breakpoint

DROP TRIGGER audit_events_append_only ON audit_events;--> statement-breakpoint
DROP TRIGGER audit_events_no_truncate ON audit_events;--> statement-breakpoint
DROP TRIGGER platform_events_append_only ON platform_events;--> statement-breakpoint
DROP TRIGGER platform_events_no_truncate ON platform_events;--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION studio_audit_append_only('audit_events');--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION studio_audit_append_only('audit_events');--> statement-breakpoint
CREATE TRIGGER platform_events_append_only BEFORE UPDATE OR DELETE ON platform_events
  FOR EACH ROW EXECUTE FUNCTION studio_audit_append_only('platform_events');--> statement-breakpoint
CREATE TRIGGER platform_events_no_truncate BEFORE TRUNCATE ON platform_events
  FOR EACH STATEMENT EXECUTE FUNCTION studio_audit_append_only('platform_events');--> statement-breakpoint

-- The time and the chain of an event are the database's: for every role but the owner (named by
-- the trigger's argument) and superusers, whatever the statement carried is replaced.
CREATE FUNCTION studio_audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT pg_catalog.pg_has_role(current_user, TG_ARGV[0]::name, 'MEMBER') THEN
    NEW.created_at := pg_catalog.now();
    NEW.seq := NULL;
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
  END IF;
  RETURN NEW;
END
$fn$;--> statement-breakpoint

DO $stamp$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  -- Migrations run as the owner role.
  EXECUTE format('CREATE TRIGGER audit_events_stamp BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION studio_audit_stamp(%L)', current_user);
  EXECUTE format('GRANT INSERT (created_at) ON audit_events TO %I, %I', app, admin);
END
$stamp$;--> statement-breakpoint

-- As in 0017/0019, with the registry row lock instead of the advisory lock.
CREATE OR REPLACE FUNCTION studio_audit_seal(max_events integer DEFAULT 10000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
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
  -- Serialises the tenant's sealers on every node; the product role cannot take this lock (it
  -- has no UPDATE on tenants), so no statement of a product can hold a tenant's seal back.
  PERFORM 1 FROM tenants t WHERE t.id = tenant FOR NO KEY UPDATE;
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
