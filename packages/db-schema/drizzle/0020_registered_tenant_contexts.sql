-- C15 at the price of an index probe. Until now every statement under RLS called studio_tenant(),
-- which verifies the HMAC of app.tenant_context in plpgsql: a key read, two sha256() calls and a
-- dozen expressions, about 25 us of server time a statement (scoped point reads went from 1.09x
-- to 1.8x a raw read). The value an app sends does not change for minutes, so it is verified
-- once: the app registers each signed value it mints (studio_register_tenant_context, verified
-- by the same code) and the policies look the value up (studio_current_tenant, one primary-key
-- probe). Only the owner writes or reads the registered values; the product role can register a
-- value only by presenting one that verifies. A value nobody registered (raw SQL, a tool, a
-- test) still works, through studio_tenant(): the same answer, at the old price.

CREATE TABLE studio_private.tenant_contexts (
  -- "C": compared byte for byte, which is what a MAC needs and the cheapest comparison there is.
  context text COLLATE "C" PRIMARY KEY,
  tenant_id uuid NOT NULL,
  -- Deleting a key (rotation) withdraws every value signed with it at once, as before.
  kid text NOT NULL REFERENCES studio_private.context_keys (kid) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);--> statement-breakpoint
CREATE INDEX tenant_contexts_expires_at ON studio_private.tenant_contexts (expires_at);--> statement-breakpoint

-- The verification itself, on an argument: studio_tenant() and the registration share it.
-- Owner only (EXECUTE revoked from PUBLIC); both callers are SECURITY DEFINER functions of the owner.
CREATE FUNCTION studio_private.verified_tenant(ctx text) RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
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
REVOKE ALL ON FUNCTION studio_private.verified_tenant(text) FROM PUBLIC;--> statement-breakpoint

CREATE OR REPLACE FUNCTION studio_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  RETURN studio_private.verified_tenant(pg_catalog.current_setting('app.tenant_context', true));
END
$fn$;--> statement-breakpoint

-- Registers a signed value the caller presents; returns its tenant, or NULL (and registers
-- nothing) when it does not verify. Expired values are removed on the way (index range scan).
CREATE FUNCTION studio_register_tenant_context(signed text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  tenant uuid := studio_private.verified_tenant(signed);
BEGIN
  IF tenant IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM studio_private.tenant_contexts WHERE expires_at < pg_catalog.now();
  INSERT INTO studio_private.tenant_contexts (context, tenant_id, kid, expires_at)
  VALUES (signed, tenant, pg_catalog.split_part(signed, '.', 2), pg_catalog.to_timestamp(pg_catalog.split_part(signed, '.', 4)::bigint))
  ON CONFLICT (context) DO NOTHING;
  RETURN tenant;
END
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION studio_register_tenant_context(text) FROM PUBLIC;--> statement-breakpoint

-- What the policies compare tenant_id with. A view, not a function: the owner's privileges reach
-- the registered values (a view reads its relations as its owner), and a sub-select of a view is
-- planned into the statement, so a prepared statement pays an index probe, not a function call.
-- security_barrier: no predicate of the caller's is evaluated inside it.
CREATE VIEW studio_current_tenant WITH (security_barrier) AS
SELECT COALESCE(
  (SELECT c.tenant_id FROM studio_private.tenant_contexts c
    WHERE c.context = pg_catalog.current_setting('app.tenant_context', true)
      AND c.expires_at > pg_catalog.now()),
  studio_tenant()) AS tenant_id;--> statement-breakpoint
REVOKE ALL ON studio_current_tenant FROM PUBLIC;--> statement-breakpoint

DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
BEGIN
  EXECUTE format('GRANT SELECT ON studio_current_tenant TO %I', app);
  EXECUTE format('GRANT EXECUTE ON FUNCTION studio_register_tenant_context(text) TO %I', app);
  -- The product role's own policies on the auth tables (0017).
  EXECUTE format('ALTER POLICY product_current_tenant ON memberships TO %I USING (tenant_id = (select tenant_id from studio_current_tenant))', app);
  EXECUTE format('ALTER POLICY product_current_tenant ON users TO %I USING (id IN (select m.user_id from memberships m where m.tenant_id = (select tenant_id from studio_current_tenant)))', app);
END
$grants$;
