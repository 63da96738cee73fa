import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import * as schema from '@studio/db-schema/schema';
import { getTableKind, tablesOf } from '@studio/db-schema/table-kinds';
import { getTableName } from 'drizzle-orm';
import { TenantNotFoundError, TenantPlacementError, TenantSuspendedError } from './errors';
import type { AuditActor } from './scoped/audit-event';
import { QueryGuard } from './guard/query-guard';
import { TenantDirectory, type TenantDirectoryOptions } from './resolver/directory';
import { internals } from './internal/symbols';
import { BACKGROUND_SESSION, createPool, createScopedPool, type Pooler } from './scoped/executor';
import type { ScopedPool } from './scoped/wire';
import { REGISTER_TENANT_CONTEXT_SQL, RegisteredContexts, TenantContextSigner } from '@studio/db-schema/tenant-context';
import { tenantContextKey } from '@studio/db-schema/config';
import { AuditSealer } from './scoped/sealer';
import { createTenantDb, type EnforcementMode, type TenantDb, type TenantInfo } from './scoped/tenant-db';
import { TenantScope } from './scoped/tenant-scope';
import { verifyConnection } from './internal/verify';
import { parseTenantId } from './ids';

export interface DatabaseConfig {
  /** The app role's URL of the shared database (never a superuser, BYPASSRLS role or the table owner). */
  url: string;
  /**
   * 'rls': the query guard and Postgres row-level security (the default).
   * 'app': the query guard alone, for products whose tables run without RLS.
   */
  mode?: EnforcementMode;
  /** Connections for requests (default 10). */
  poolSize?: number;
  /** Connections for background work, so a heavy job cannot starve requests (default 4). */
  backgroundPoolSize?: number;
  /** Placement key -> app role URL, for tenants placed outside the shared database. */
  placements?: Record<string, string>;
  /**
   * The in-process cache of tenants (slug/id -> status, placement). Entries live `ttlMs`
   * (default 30 s) and are dropped at once when the tenants row changes (LISTEN/NOTIFY).
   */
  tenantCache?: TenantDirectoryOptions;
  /** Shown in pg_stat_activity (default 'studio'). */
  applicationName?: string;
  /**
   * 'transaction' when the URLs point at a transaction-mode pooler (PgBouncer): statements are
   * not named-prepared, and tenant changes are not LISTENed for (a pooled LISTEN hears nothing
   * reliably): cached tenants expire after their TTL. Default 'none' (DATABASE_POOLER).
   */
  pooler?: Pooler;
  /**
   * Milliseconds between an audited write and the sealing of its event into the tenant's hash
   * chain, done in the background (default 1000). Writes in that window are sealed together.
   */
  auditSealDelayMs?: number;
  /**
   * Functions the query guard allows for this app on top of its built-in list (`name`, or
   * `schema.name`): only ones that run no SQL and have no side effect (docs/scoped-client.md).
   */
  allowFunctions?: readonly string[];
  /**
   * Signs the tenant context row-level security trusts (C15). Default: TENANT_CONTEXT_KEY, or a
   * fixed dev key outside production. `pnpm db:migrate` must have stored the same key.
   */
  contextKey?: string;
}

export interface TenantOptions {
  /** 'background' for jobs and exports: a separate pool from requests. */
  pool?: 'request' | 'background';
  /** Who acts, for the audit trail (getTenantContext sets it; default: the system). */
  actor?: AuditActor;
  /**
   * Refuse every write through this client, whatever the tenant's status (a platform admin's
   * support access): writes fail before they are sent, and statements run read-only in Postgres.
   */
  readOnly?: boolean;
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'read_only';
}

interface Placement {
  /** postgres.js: the tenant registry, checks, registration of contexts (no tenant data). */
  request: Sql;
  background: Sql;
  /** pg, pipelined: every scoped statement (wire.ts). */
  scoped: { request: ScopedPool; background: ScopedPool };
  /** Signed tenant contexts, registered in this placement's database before first use. */
  contexts: RegisteredContexts;
  verified?: Promise<void>;
}


const tenantTables = tablesOf(schema).filter((t) => getTableKind(t)?.kind === 'tenant');
const tenantTableNames = tenantTables.map((t) => getTableName(t));
/**
 * The platform columns products may read through the scoped client (C15), as the schema declares
 * them (`platformTable(..., { productReads })`); the guard refuses any other relation outside
 * the tenant tables, and any write to these.
 */
const productReadable: Record<string, readonly string[]> = Object.fromEntries(
  tablesOf(schema).flatMap((t) => {
    const kind = getTableKind(t);
    return kind?.kind === 'platform' && kind.productReads ? [[getTableName(t), kind.productReads]] : [];
  }),
);
/** The package's own functions that its statements call through the guard (verifyAuditChain). */
const packageFunctions = ['studio_audit_hash', 'studio_audit_seal'];
const rlsTableNames = tenantTables.filter((t) => {
  const kind = getTableKind(t);
  return kind?.kind === 'tenant' && kind.rls;
}).map((t) => getTableName(t));

/**
 * The one place a product gets database access: the pools (per placement: requests and
 * background work), the tenant registry, and the tenant-scoped client.
 */
export function createDatabase(config: DatabaseConfig) {
  const mode = config.mode ?? 'rls';
  const appName = config.applicationName ?? 'studio';
  const pooler = config.pooler ?? 'none';
  const urls: Record<string, string> = { ...config.placements, shared: config.url };
  const placements = new Map<string, Placement>();
  const guard = new QueryGuard({
    tenantTables: tenantTableNames,
    platformReadable: productReadable,
    allowFunctions: [...packageFunctions, ...(config.allowFunctions ?? [])],
  });
  const signer = new TenantContextSigner(config.contextKey ?? tenantContextKey());
  const sealer = new AuditSealer(config.auditSealDelayMs ?? 1000, (id) => signer.sign(id));

  function placement(key: string, tenantId?: string): Placement {
    let p = placements.get(key);
    if (!p) {
      const url = urls[key];
      if (!url) throw new TenantPlacementError(tenantId ?? '-', key);
      const scoped = {
        request: createScopedPool(url, config.poolSize ?? 10, appName, pooler),
        background: createScopedPool(url, config.backgroundPoolSize ?? 4, `${appName}:background`, pooler, BACKGROUND_SESSION),
      };
      p = {
        request: createPool(url, config.poolSize ?? 10, appName, pooler),
        background: createPool(url, config.backgroundPoolSize ?? 4, `${appName}:background`, pooler, BACKGROUND_SESSION),
        scoped,
        // On the scoped connections, where the values are used: the postgres.js pool stays small.
        contexts: new RegisteredContexts(signer, (value) => scoped.request.shared((conn) => conn.run([{ text: REGISTER_TENANT_CONTEXT_SQL, values: [value] }], true))),
      };
      placements.set(key, p);
    }
    return p;
  }

  /** Checked once per placement; a failed check (a refused role, a dropped connection) is not kept, so the next call checks again. */
  function verified(key: string, p: Placement): Promise<void> {
    p.verified ??= Promise.all([
      verifyConnection(p.request, { mode, tenantTables: tenantTableNames, rlsTables: rlsTableNames, placement: key, signer }),
      guard.ready(),
    ]).then(
      () => undefined,
      (error: unknown) => {
        p.verified = undefined;
        throw error;
      },
    );
    return p.verified;
  }

  const shared = placement('shared');
  const platformDb = drizzle({ client: shared.request, schema });

  const directory = new TenantDirectory(shared.request, {
    onListenError: (error) =>
      console.warn(`[tenancy] cannot LISTEN for tenant changes (${String(error)}); cached tenants expire after their TTL instead.`),
    ...config.tenantCache,
    ...(pooler === 'transaction' ? { listen: false } : {}),
  });

  async function lookupTenant(id: string): Promise<TenantInfo> {
    const row = await directory.byId(id);
    if (!row) throw new TenantNotFoundError(id);
    return row;
  }

  async function tenant(tenantId: string, options: TenantOptions = {}): Promise<TenantDb> {
    const id = parseTenantId(tenantId);
    const info = await lookupTenant(id);
    if (info.status === 'suspended') throw new TenantSuspendedError(id, info.statusReason);
    const p = placement(info.placement, id);
    await verified(info.placement, p);
    const scope = new TenantScope({
      tenant: info,
      mode,
      guard,
      actor: options.actor ?? { userId: null },
      readOnly: options.readOnly === true || info.status === 'read_only',
      pool: options.pool === 'background' ? p.scoped.background : p.scoped.request,
      contexts: p.contexts,
      sealer,
      sealPool: p.scoped.background,
    });
    return createTenantDb(scope);
  }

  return {
    mode,
    /** As configured: 'transaction' behind a transaction-mode pooler. */
    pooler,
    /** A client scoped to one tenant. Throws for an invalid id, an unknown or a suspended tenant. */
    tenant,
    /** Runs `fn` with a client scoped to the tenant. */
    async withTenant<T>(tenantId: string, fn: (tdb: TenantDb) => Promise<T>, options?: TenantOptions): Promise<T> {
      return fn(await tenant(tenantId, options));
    },
    /**
     * Checks every configured database now (role, RLS, transaction-local settings), so a
     * misconfigured deploy fails at boot rather than at its first request.
     */
    async verify(): Promise<void> {
      await Promise.all(Object.keys(urls).map((key) => verified(key, placement(key))));
    },
    /** Drops a cached tenant (changes are also signalled by Postgres; this is for tests and tools). */
    forgetTenant(tenantId: string): void {
      directory.forget(parseTenantId(tenantId));
    },
    /** Cached slug/id -> tenant lookups, for the resolver. */
    tenants: directory,
    /** Platform reads that need no tenant: the tenant registry. */
    platform: {
      listTenants(): Promise<TenantSummary[]> {
        return platformDb
          .select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name, status: schema.tenants.status })
          .from(schema.tenants)
          .orderBy(asc(schema.tenants.slug));
      },
    },
    [internals]: { placements, guard, signer },
    /**
     * Seals the pending audit events now instead of after `auditSealDelayMs` (a test, a tool about
     * to exit). close() does it too.
     */
    sealAuditTrails(): Promise<void> {
      return sealer.flush();
    },
    async close(): Promise<void> {
      await sealer.close();
      await directory.close();
      await Promise.all([...placements.values()].flatMap((p) => [p.request.end({ timeout: 5 }), p.background.end({ timeout: 5 }), p.scoped.request.end(), p.scoped.background.end()]));
      placements.clear();
    },
  };
}

export type Database = ReturnType<typeof createDatabase>;
