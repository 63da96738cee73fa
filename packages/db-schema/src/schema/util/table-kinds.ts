import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';

/**
 * Every table declares what it is for the contract (C1): tenant-scoped, or platform-level with a
 * reason. The declaration rides on the table object so the schema lint, the drift check, the
 * query guard and the leak test kit all read one source of truth.
 */
const kindKey = Symbol.for('@studio/db-schema/table-kind');

export type TableKind =
  | { kind: 'tenant'; /** Postgres RLS enforces isolation as well as the query guard. */ rls: boolean }
  | {
      kind: 'platform';
      reason: string;
      /**
       * Columns products may read through the scoped client (C15): the query guard allows these
       * and nothing else of a platform table, never a write. Absent: products cannot read it.
       */
      productReads?: readonly string[];
    };

export function declareTableKind<T extends PgTable>(table: T, kind: TableKind): T {
  Object.defineProperty(table, kindKey, { value: Object.freeze(kind), enumerable: false });
  return table;
}

export function getTableKind(table: PgTable): TableKind | undefined {
  return (table as unknown as Record<symbol, TableKind | undefined>)[kindKey];
}

export function isTenantTable(table: PgTable): boolean {
  return getTableKind(table)?.kind === 'tenant';
}

/** The drizzle tables among a schema module's exports. */
export function tablesOf(schema: Record<string, unknown>): PgTable[] {
  return Object.values(schema).filter((value): value is PgTable => is(value, PgTable));
}
