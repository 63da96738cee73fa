/**
 * What the lifecycle commands need to work on a Citus database (issue 21, docs/scaling.md):
 * transaction-local settings that reach the workers, and the tenant-change signal the `tenants`
 * trigger can no longer send there.
 *
 * On Citus, `set_config(..., true)` stays on the coordinator: the shards' policies see no tenant
 * (zero rows, every write refused) and their audit trigger no erase switch. Only `SET LOCAL` inside
 * a transaction block, with `citus.propagate_set_commands = local`, is sent on to the workers. Its
 * value is spliced into the SQL text, so each one is checked strictly first.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { asTenantOwner, TenantLifecycleError } from '@studio/tenancy/lifecycle';
import { TENANT_CHANGED_CHANNEL } from '@studio/tenancy/resolver';
import type postgres from 'postgres';

/** A tenant id as the database prints it: lower-case UUID, nothing else (it goes into SQL text on Citus). */
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const citusByPool = new WeakMap<postgres.Sql, Promise<boolean>>();

/** Whether the database behind `sql` has the citus extension (asked once per pool). */
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
  if (!TENANT_ID.test(tenantId)) throw new TenantLifecycleError('TENANT_ID_INVALID', `"${tenantId}" is not a tenant id (a lower-case UUID); refusing to put it in SQL text.`);
  return `SET LOCAL studio.erasing_tenant = '${tenantId}'`;
}

/**
 * `asTenantOwner` (one transaction bound to the tenant, and the audit trail's erase switch with
 * `erasing`) that also binds the shards on Citus: there the settings are sent as `SET LOCAL`
 * inside the transaction block, which Citus passes to every worker the transaction touches.
 */
export async function asTenantOwnerEverywhere<T>(sql: postgres.Sql, tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>, options: { erasing?: boolean } = {}): Promise<T> {
  if (!(await isCitus(sql))) return asTenantOwner(sql, tenantId, fn, options);
  const erasing = options.erasing ? setLocalErasingTenantSql(tenantId) : null;
  const context = setLocalTenantContextSql(tenantContextValue(tenantId));
  return sql.begin(async (tx) => {
    await tx.unsafe(`SET LOCAL citus.propagate_set_commands = 'local'`);
    await tx.unsafe(context);
    if (erasing) await tx.unsafe(erasing);
    return fn(tx);
  }) as Promise<T>;
}

/**
 * Tells every process's tenant directory that a tenant changed (its status, slug or placement,
 * or it is gone): the payload the `tenants_notify_change` trigger sends, on its channel. Call it
 * after the change committed. On Citus the trigger is dropped (a transaction that ran NOTIFY
 * cannot be prepared) and this is the only signal; on plain Postgres it repeats the trigger's,
 * which costs a cache miss. A failure is not the change's: it is reported, and the cache's TTL
 * still bounds how long the old entry is served.
 */
export async function signalTenantChanged(sql: postgres.Sql, tenantId: string, onError: (message: string) => void = () => {}): Promise<void> {
  try {
    await sql`select pg_notify(${TENANT_CHANGED_CHANNEL}, ${tenantId})`;
  } catch (error) {
    onError(`could not signal the change of tenant ${tenantId} (${(error as Error).message}); cached copies expire within the tenant cache's TTL`);
  }
}
