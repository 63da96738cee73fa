import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';

/**
 * Every table declares what it is for the contract (C1): tenant-scoped, or platform-level with a
 * reason. The declaration rides on the table object so the schema lint, the drift check, the
 * query guard and the leak test kit all read one source of truth.
 */
const kindKey = Symbol.for('@studio/db-schema/table-kind');

/** What every table may declare, whatever its kind. */
interface TableDeclarations {
  /**
   * Columns holding secrets (C16), by SQL name: a token or password hash, a session token, a
   * verification value, an id that is itself a link's secret. No export a person downloads, no
   * console view and no API response carries them; `secretColumnsOf` is where every one of
   * those outputs asks.
   */
  secretColumns?: readonly string[];
}

export type TableKind = TableDeclarations &
  (
  | { kind: 'tenant'; /** Postgres RLS enforces isolation as well as the query guard. */ rls: boolean }
  | {
      kind: 'platform';
      reason: string;
      /**
       * Columns products may read through the scoped client (C15): the query guard allows these
       * and nothing else of a platform table, never a write. Absent: products cannot read it.
       */
      productReads?: readonly string[];
    }
  );

export function declareTableKind<T extends PgTable>(table: T, kind: TableKind): T {
  Object.defineProperty(table, kindKey, { value: Object.freeze(kind), enumerable: false });
  return table;
}

export function getTableKind(table: PgTable): TableKind | undefined {
  return (table as unknown as Record<symbol, TableKind | undefined>)[kindKey];
}

/**
 * The table's secret columns (C16), by SQL name: what exports, console views and API responses
 * leave out. The one place that answers; declared with `secretColumns` on tenantTable/platformTable.
 */
export function secretColumnsOf(table: PgTable): readonly string[] {
  return getTableKind(table)?.secretColumns ?? [];
}

/** Every table of a schema module that has secret columns, by table name: what a scan for leaked secrets reads. */
export function secretColumnsByTable(schema: Record<string, unknown>): Record<string, readonly string[]> {
  return Object.fromEntries(
    tablesOf(schema)
      .filter((t) => secretColumnsOf(t).length > 0)
      .map((t) => [getTableName(t), secretColumnsOf(t)]),
  );
}

export function isTenantTable(table: PgTable): boolean {
  return getTableKind(table)?.kind === 'tenant';
}

/** The drizzle tables among a schema module's exports. */
export function tablesOf(schema: Record<string, unknown>): PgTable[] {
  return Object.values(schema).filter((value): value is PgTable => is(value, PgTable));
}
