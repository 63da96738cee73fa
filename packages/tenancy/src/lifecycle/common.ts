/**
 * What the lifecycle commands (export, import, move, erase) share: where each database is, how
 * to find a tenant in the registry, and their one error type.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import * as defaultSchema from '@studio/db-schema/schema';
import { secretColumnsOf, tablesOf } from '@studio/db-schema/table-kinds';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { operatorFromEnv } from '../env-schema';
import { TenancyError } from '../errors';
import { parseUuid } from '../ids';
import { tenantTablesOf } from '../internal/tables';

export class TenantLifecycleError extends TenancyError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** One database a tenant may live in: how the app role and the owner reach it. */
export interface DatabaseTarget {
  /** The app role (RLS applies): what export reads with. */
  app: string;
  /** The owner role (FORCE RLS still binds it): what import, move and erase write with. */
  owner: string;
}

/** Every database by placement key; 'shared' is the one with the tenants registry. */
export type DatabaseTargets = Record<string, DatabaseTarget> & { shared: DatabaseTarget };

export interface RegistryTenant {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'read_only';
  statusReason: string | null;
  placement: string;
  plan: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) throw new TenantLifecycleError('TENANT_SLUG_INVALID', `"${slug}" is not a tenant slug (lowercase letters, digits and hyphens).`);
}

export async function findTenant(sql: postgres.Sql, slug: string): Promise<RegistryTenant> {
  checkSlug(slug);
  const [tenant] = await sql<RegistryTenant[]>`
    select id, slug, name, status, status_reason as "statusReason", placement, plan from tenants where slug = ${slug}`;
  if (!tenant) throw new TenantLifecycleError('TENANT_NOT_FOUND', `No tenant "${slug}". \`pnpm studio tenants list\` shows them.`);
  return tenant;
}

export function targetOf(targets: Record<string, DatabaseTarget | undefined>, key: string, tenant?: string): DatabaseTarget {
  const target = targets[key];
  if (!target) {
    throw new TenantLifecycleError(
      'TENANT_PLACEMENT_UNKNOWN',
      `${tenant ? `${tenant} lives in` : 'The database'} "${key}", which DATABASE_PLACEMENTS does not name. Known: ${Object.keys(targets).join(', ')}.`,
    );
  }
  return target;
}

/** Connections opened on demand and closed together. */
export class Pools {
  private readonly open = new Map<string, postgres.Sql>();

  get(url: string): postgres.Sql {
    let sql = this.open.get(url);
    if (!sql) this.open.set(url, (sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'studio:lifecycle' } })));
    return sql;
  }

  /** Fails with a clear message when the database cannot be reached (nothing changed yet). */
  async reachable(url: string, key: string): Promise<postgres.Sql> {
    const sql = this.get(url);
    try {
      await sql`select 1`;
    } catch (error) {
      throw new TenantLifecycleError('DATABASE_UNREACHABLE', `Cannot reach the "${key}" database: ${(error as Error).message}. Nothing was changed.`);
    }
    return sql;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((sql) => sql.end({ timeout: 5 })));
    this.open.clear();
  }
}

/**
 * Whether a tenant's copy carries the columns the schema marks secret (C16). 'omit' for every
 * export a person downloads (the CLI, the console, a product's "export my data"); 'include' only
 * for `tenants move`, whose copy must keep working API tokens.
 */
export type SecretColumns = 'omit' | 'include';

export interface TenantTableInfo {
  name: string;
  /** The columns copied: without the secret ones unless asked for (`SecretColumns`). */
  columns: string[];
  /**
   * Secret columns left out that cannot be left empty on import (NOT NULL, no default), with what
   * an import writes instead: a value that is no secret and matches none (a token hash that no
   * token has), so the rows load and nothing they held works.
   */
  withheld: Record<string, string>;
  /**
   * The order rows must be exported in: the audit trail by its chain (rows keep their seq and hashes), the
   * rest as the heap returns them (sorting a big tenant by uuid costs a third of the export).
   */
  orderBy: string | null;
  /** Columns that reference users: the export carries those users so the rows load elsewhere. */
  userColumns: string[];
}

/** The tenant tables, parents first (import order); reverse it to delete. */
export function tenantTables(schema: Record<string, unknown> = defaultSchema as Record<string, unknown>, options: { secrets?: SecretColumns } = {}): TenantTableInfo[] {
  return tenantTablesOf(schema).map((table: PgTable) => {
    const config = getTableConfig(table);
    const secret = options.secrets === 'include' ? [] : secretColumnsOf(table);
    const columns = config.columns.map((c) => c.name).filter((c) => !secret.includes(c));
    const withheld = Object.fromEntries(
      config.columns.filter((c) => secret.includes(c.name) && c.notNull && !c.hasDefault).map((c) => [c.name, `'withheld:' || gen_random_uuid()::text`]),
    );
    const userColumns = config.foreignKeys
      .map((fk) => fk.reference())
      .filter((ref) => getTableConfig(ref.foreignTable).name === 'users')
      .flatMap((ref) => ref.columns.map((c) => c.name));
    // audit_events in chain order: its rows keep their seq and hashes, so the copy verifies as the original did.
    return { name: config.name, columns, withheld, orderBy: config.name === 'audit_events' ? 'seq' : null, userColumns };
  });
}

/**
 * The columns of a platform table (`tenants`, `memberships`, ...) an export carries: all but the
 * secret ones (C16). Null when the schema has no such table.
 */
export function platformColumns(name: string, schema: Record<string, unknown> = defaultSchema as Record<string, unknown>): string[] | null {
  const table = tablesOf(schema).find((t) => getTableConfig(t).name === name);
  if (!table) return null;
  const secret = secretColumnsOf(table);
  return getTableConfig(table).columns.map((c) => c.name).filter((c) => !secret.includes(c));
}

const citusByPool = new WeakMap<postgres.Sql, Promise<boolean>>();

/** Whether the database behind `sql` has the citus extension (asked once per pool; a failed ask is not kept). */
export function isCitus(sql: postgres.Sql): Promise<boolean> {
  let known = citusByPool.get(sql);
  if (!known) {
    known = sql<{ citus: boolean }[]>`select exists (select 1 from pg_extension where extname = 'citus') as citus`.then(([row]) => row!.citus);
    known.catch(() => citusByPool.delete(sql));
    citusByPool.set(sql, known);
  }
  return known;
}

/** `SET LOCAL studio.erasing_tenant = '<id>'`, for an id that is exactly a lower-case UUID; throws on anything else. */
export function setLocalErasingTenantSql(tenantId: string): string {
  // Exactly a lower-case UUID (parseUuid's canonical form): it goes into SQL text on Citus.
  if (parseUuid(tenantId) !== tenantId) throw new TenantLifecycleError('TENANT_ID_INVALID', `"${tenantId}" is not a tenant id (a lower-case UUID); refusing to put it in SQL text.`);
  return `SET LOCAL studio.erasing_tenant = '${tenantId}'`;
}

/**
 * Binds an open transaction to one tenant (RLS) and, with `erasing`, opens the audit trail's
 * erase switch. On Citus `set_config(..., true)` stays on the coordinator, so the shards would
 * see no tenant (no rows; every write refused): there the settings go as `SET LOCAL` with
 * `citus.propagate_set_commands = local`, which Citus sends on to every worker the transaction
 * touches. Their values are spliced into SQL text, so each is checked strictly first.
 */
export async function bindTenant(tx: postgres.TransactionSql, tenantId: string, citus: boolean, options: { erasing?: boolean } = {}): Promise<void> {
  const context = tenantContextValue(tenantId);
  if (!citus) {
    await tx`select set_config('app.tenant_context', ${context}, true)`;
    if (options.erasing) await tx`select set_config('studio.erasing_tenant', ${tenantId}, true)`;
    return;
  }
  const setContext = setLocalTenantContextSql(context);
  const setErasing = options.erasing ? setLocalErasingTenantSql(tenantId) : null;
  await tx.unsafe(`SET LOCAL citus.propagate_set_commands = 'local'`);
  await tx.unsafe(setContext);
  if (setErasing) await tx.unsafe(setErasing);
}

/** Runs `fn` in a transaction bound to one tenant (RLS and the erase switch of the audit trail), on plain Postgres and Citus alike. */
export async function asTenantOwner<T>(sql: postgres.Sql, tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>, options: { erasing?: boolean } = {}): Promise<T> {
  const citus = await isCitus(sql);
  return sql.begin(async (tx) => {
    await bindTenant(tx, tenantId, citus, options);
    return fn(tx);
  }) as Promise<T>;
}

/** Deletes one tenant's rows from every tenant table of a database, children first. */
export async function deleteTenantRows(tx: postgres.TransactionSql, tenantId: string, tables: TenantTableInfo[]): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of [...tables].reverse()) {
    const result = await tx.unsafe(`delete from "${table.name}" where tenant_id = $1`, [tenantId]);
    deleted[table.name] = result.count;
  }
  return deleted;
}

/** Who ran a lifecycle command, for the platform event. */
export function operator(): string {
  return operatorFromEnv();
}

/** The first tenant table of a database that holds rows of the tenant, or null. */
export function tableHoldingTenant(sql: postgres.Sql, tenantId: string, tables: TenantTableInfo[]): Promise<string | null> {
  return asTenantOwner(sql, tenantId, async (tx) => {
    for (const table of tables) {
      const [row] = await tx.unsafe<{ found: boolean }[]>(`select exists (select 1 from "${table.name}" where tenant_id = $1) as found`, [tenantId]);
      if (row!.found) return table.name;
    }
    return null;
  });
}
