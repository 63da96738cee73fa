import { sql, type BuildExtraConfigColumns } from 'drizzle-orm';
import {
  index,
  pgPolicy,
  pgTable,
  primaryKey,
  uuid,
  type PgColumnBuilderBase,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenants';
import { createdAt } from './columns';
import { declareTableKind } from './table-kinds';

/**
 * The tenant of the current transaction (C15): the tenant of app.tenant_context when that value
 * carries a valid signature, NULL otherwise (no row matches), so a statement that sets another
 * tenant's id without the key sees and writes nothing. `studio_current_tenant` looks the value up
 * among those the app registered (each verified once, migration 0020) and verifies it with
 * studio_tenant() when nobody did. As a sub-select it is an initPlan: once per statement.
 */
export const currentTenantIdSql = sql`(select tenant_id from studio_current_tenant)`;

/** The name every RLS policy of ours carries; `db:check` looks for it. */
export const TENANT_POLICY_NAME = 'tenant_isolation';

const tenantColumns = () => ({
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  createdAt: createdAt(),
});

type TenantColumns = ReturnType<typeof tenantColumns>;

export interface TenantTableOptions<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>> {
  /** true: Postgres row-level security enforces isolation too (ENABLE + FORCE, one policy). */
  rls: boolean;
  /**
   * false: leave out the (tenant_id, created_at) index, when `extra` declares a wider one that
   * leads with the same columns (every index costs each insert).
   */
  createdAtIndex?: boolean;
  /** Columns holding secrets (C16), by SQL name: exports, console views and API responses leave them out. */
  secretColumns?: readonly string[];
  extra?: (table: BuildExtraConfigColumns<TName, TColumns & TenantColumns, 'pg'>) => PgTableExtraConfigValue[];
}

/**
 * A tenant-owned table (C1, C2): adds `tenant_id` (not null, references tenants), a uuid `id`,
 * `created_at`, the composite primary key (tenant_id, id), an index on (tenant_id, created_at),
 * and with `rls` the isolation policy. FORCE ROW LEVEL SECURITY, which drizzle-kit does not
 * emit, goes in a custom migration; `db:check` fails when it is missing.
 */
export function tenantTable<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>>(
  name: TName,
  columns: TColumns,
  options: TenantTableOptions<TName, TColumns>,
) {
  const table = pgTable(name, { ...tenantColumns(), ...columns } as TColumns & TenantColumns, (t) => [
    primaryKey({ name: `${name}_pkey`, columns: [t.tenantId, t.id] }),
    ...(options.createdAtIndex === false ? [] : [index(`${name}_tenant_created_idx`).on(t.tenantId, t.createdAt)]),
    ...(options.rls
      ? [
          pgPolicy(TENANT_POLICY_NAME, {
            as: 'permissive',
            for: 'all',
            to: 'public',
            using: sql`${t.tenantId} = ${currentTenantIdSql}`,
            withCheck: sql`${t.tenantId} = ${currentTenantIdSql}`,
          }),
        ]
      : []),
    ...(options.extra?.(t) ?? []),
  ]);
  return declareTableKind(table, {
    kind: 'tenant',
    rls: options.rls,
    ...(options.secretColumns ? { secretColumns: Object.freeze([...options.secretColumns]) } : {}),
  });
}
