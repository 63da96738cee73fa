import { getTableKind, tablesOf } from '@studio/db-schema/table-kinds';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';

/** The tenant tables of a schema, parents before children (by their foreign keys). */
export function tenantTablesOf(schema: Record<string, unknown>): PgTable[] {
  const tables = tablesOf(schema).filter((t) => getTableKind(t)?.kind === 'tenant');
  const ordered: PgTable[] = [];
  const visit = (t: PgTable, path: Set<PgTable>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const fk of getTableConfig(t).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (tables.includes(parent)) visit(parent, path);
    }
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}
