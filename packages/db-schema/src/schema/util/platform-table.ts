import type { BuildExtraConfigColumns } from 'drizzle-orm';
import { pgTable, type PgColumnBuilderBase, type PgTableExtraConfigValue } from 'drizzle-orm/pg-core';
import { declareTableKind } from './table-kinds';

export interface PlatformTableOptions<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>> {
  /** Why this table is not tenant-scoped. Required: the schema lint rejects an empty reason. */
  reason: string;
  /** Columns products may read through the scoped client (by SQL name); the guard allows nothing else. */
  productReads?: readonly string[];
  /** Columns holding secrets (C16), by SQL name: exports, console views and API responses leave them out. */
  secretColumns?: readonly string[];
  extra?: (table: BuildExtraConfigColumns<TName, TColumns, 'pg'>) => PgTableExtraConfigValue[];
}

/** A table that belongs to the platform, not to one tenant (tenants, users, plans...). */
export function platformTable<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>>(
  name: TName,
  columns: TColumns,
  options: PlatformTableOptions<TName, TColumns>,
) {
  const table = pgTable(name, columns, options.extra);
  return declareTableKind(table, {
    kind: 'platform',
    reason: options.reason,
    ...(options.productReads ? { productReads: Object.freeze([...options.productReads]) } : {}),
    ...(options.secretColumns ? { secretColumns: Object.freeze([...options.secretColumns]) } : {}),
  });
}
