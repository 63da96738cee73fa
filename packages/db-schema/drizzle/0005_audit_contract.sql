-- C10: the audit trail is append-only and tamper-evident.
-- Each tenant's events form a hash chain: seq 1, 2, 3... and hash = sha256 over the previous
-- hash and the row. A trigger fills seq/prev_hash/hash on insert, serialising a tenant's appends
-- with a transaction-scoped advisory lock; another trigger refuses UPDATE, DELETE and TRUNCATE.

-- The hash of one event. jsonb_build_array makes the encoding unambiguous (no separator games);
-- the time is in microseconds since the epoch so the TimeZone setting cannot change it.
CREATE FUNCTION studio_audit_hash(prev text, tenant uuid, seq bigint, at timestamptz, actor uuid, action text, target text, payload jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT encode(sha256(convert_to(
    jsonb_build_array(prev, tenant, seq, (extract(epoch FROM at) * 1000000)::bigint, actor, action, target, payload)::text,
    'UTF8')), 'hex')
$fn$;--> statement-breakpoint

CREATE FUNCTION studio_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- One appender per tenant at a time, until its transaction ends.
  PERFORM pg_advisory_xact_lock(hashtextextended('studio.audit:' || NEW.tenant_id::text, 0));
  SELECT e.seq, e.hash INTO last_seq, last_hash
    FROM audit_events e WHERE e.tenant_id = NEW.tenant_id ORDER BY e.seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := last_hash;
  -- studio_audit_hash's expression, inlined: PL/pgSQL caches its plan, a SQL function call here
  -- would cost ~35 us per event. verifyAuditChain recomputes with the function, so they must match.
  NEW.hash := encode(sha256(convert_to(
    jsonb_build_array(NEW.prev_hash, NEW.tenant_id, NEW.seq, (extract(epoch FROM NEW.created_at) * 1000000)::bigint,
                      NEW.actor_id, NEW.action, NEW.target, NEW.payload)::text,
    'UTF8')), 'hex');
  RETURN NEW;
END
$fn$;--> statement-breakpoint

CREATE FUNCTION studio_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Write a new event that corrects the record instead.';
END
$fn$;--> statement-breakpoint

-- Number and chain the events written before this migration (dev databases), oldest first.
-- The owner sees every tenant's rows only without FORCE, so lift it for the backfill.
ALTER TABLE "audit_events" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DO $backfill$
DECLARE
  r record;
  prev text;
  cur_tenant uuid;
  n bigint;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY tenant_id, created_at, id LOOP
    IF cur_tenant IS DISTINCT FROM r.tenant_id THEN
      cur_tenant := r.tenant_id; prev := NULL; n := 0;
    END IF;
    n := n + 1;
    UPDATE audit_events SET seq = n, prev_hash = prev,
      hash = studio_audit_hash(prev, r.tenant_id, n, r.created_at, r.actor_id, r.action, r.target, r.payload)
      WHERE tenant_id = r.tenant_id AND id = r.id
      RETURNING hash INTO prev;
  END LOOP;
END
$backfill$;--> statement-breakpoint
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_seq_key" UNIQUE("tenant_id","seq");--> statement-breakpoint

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION studio_audit_chain();--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION studio_audit_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION studio_audit_append_only();
