-- C15: a tenant context SQL cannot forge. Until now the policies trusted app.tenant_id, a setting
-- any statement of the product role could change (set_config inside query_to_xml's SQL text was
-- enough to read another tenant under RLS). From 0016 the policies compare tenant_id with
-- studio_tenant(): the tenant of app.tenant_context when that value carries a valid HMAC-SHA256
-- under a key in studio_private.context_keys, NULL otherwise (no rows, no writes). Only the owner
-- can read the keys; db:migrate writes TENANT_CONTEXT_KEY there, and the apps sign with the same
-- key (packages/db-schema/src/tenant-context.ts has the format and the reasons).

CREATE SCHEMA studio_private;--> statement-breakpoint
REVOKE ALL ON SCHEMA studio_private FROM PUBLIC;--> statement-breakpoint

-- The HMAC's padded keys (RFC 2104), so the verifier needs only the built-in sha256(). A key is
-- valid until its row is deleted (rotation: add the new key with db:migrate, move every app to
-- it, then delete the old row).
CREATE TABLE studio_private.context_keys (
  kid text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{12}$'),
  ipad bytea NOT NULL CHECK (length(ipad) = 64),
  opad bytea NOT NULL CHECK (length(opad) = 64),
  created_at timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint

-- STABLE: called as (select studio_tenant()) in a policy, it is an initPlan, evaluated once per
-- statement, not per row. SECURITY DEFINER: it runs as the owner, the only role that can read the
-- keys; its search_path is fixed, and every name in it is qualified anyway. Any unknown-key,
-- wrongly signed or expired value gives NULL: fail closed, never an error that would tell an
-- attacker which part was wrong. The MAC is checked before any part is parsed: a value with a
-- valid MAC is one the app built, so its parts are well formed (no regex: it cost 20 us a call).
CREATE FUNCTION studio_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog AS $fn$
DECLARE
  ctx text := pg_catalog.current_setting('app.tenant_context', true);
  pads record;
BEGIN
  IF ctx IS NULL OR pg_catalog.length(ctx) NOT BETWEEN 120 AND 200 THEN
    RETURN NULL;
  END IF;
  SELECT k.ipad, k.opad INTO pads FROM studio_private.context_keys k WHERE k.kid = pg_catalog.split_part(ctx, '.', 2);
  IF NOT FOUND
     OR pg_catalog.encode(pg_catalog.sha256(pads.opad || pg_catalog.sha256(pads.ipad || pg_catalog.convert_to(pg_catalog.left(ctx, -65), 'UTF8'))), 'hex')
        <> pg_catalog.right(ctx, 64)
     OR pg_catalog.substr(ctx, pg_catalog.length(ctx) - 64, 1) <> '.'
     OR pg_catalog.split_part(ctx, '.', 4)::bigint < extract(epoch FROM pg_catalog.now()) THEN
    RETURN NULL;
  END IF;
  RETURN pg_catalog.split_part(ctx, '.', 3)::uuid;
END
$fn$;--> statement-breakpoint

REVOKE ALL ON FUNCTION studio_tenant() FROM PUBLIC;--> statement-breakpoint

DO $grants$
BEGIN
  -- Every role whose statements the tenant policies bind. The owner owns it.
  EXECUTE format('GRANT EXECUTE ON FUNCTION studio_tenant() TO %I', current_setting('studio.app_role'));
END
$grants$;
