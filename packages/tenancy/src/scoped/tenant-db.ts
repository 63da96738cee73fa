import { createTableRelationsHelpers, extractTablesRelationalConfig, type InferInsertModel, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgDialect, type PgInsertBase, type PgInsertBuilder, type PgTable } from 'drizzle-orm/pg-core';
import { PgRemoteDatabase, PgRemoteSession, type PgRemoteQueryResultHKT } from 'drizzle-orm/pg-proxy';
import * as schema from '@studio/db-schema/schema';
import { TenantReadOnlyError } from '../errors';
import type { QueryGuard } from '../guard/query-guard';
import { ScopedBuilders } from './builders';
import type { Method, Trailer } from './executor';
import { auditTrailer, type AuditActor, type AuditEvent } from '../audit';

type Schema = typeof schema;
type Remote = PgRemoteDatabase<Schema>;

export type EnforcementMode = 'rls' | 'app';
export type TenantStatus = 'active' | 'suspended' | 'read_only';

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  statusReason: string | null;
  /** Key of the database the tenant's rows live in ('shared' is DATABASE_URL). */
  placement: string;
  /** The tenant's own look (its pages, its PDFs); loaded by the tenant directory. */
  branding?: { primaryColor: string };
}

declare const tenantDbBrand: unique symbol;

/** An insert row for the scoped client: tenant_id is filled in, so it is optional. */
export type ScopedInsertValue<T extends PgTable> = {
  [K in keyof InferInsertModel<T> as K extends 'tenantId' ? never : K]: InferInsertModel<T>[K] | SQL | Placeholder;
} & { tenantId?: string | SQL | Placeholder };

export type ScopedInsertBuilder<T extends PgTable> = Omit<PgInsertBuilder<T, PgRemoteQueryResultHKT>, 'values'> & {
  values(value: ScopedInsertValue<T>): PgInsertBase<T, PgRemoteQueryResultHKT>;
  values(values: ScopedInsertValue<T>[]): PgInsertBase<T, PgRemoteQueryResultHKT>;
};

/**
 * The tenant-scoped database client (C3, C4, C5). Only `db.tenant()` / `db.withTenant()` make
 * one: the brand below cannot be written outside this module, so a function that takes a
 * `TenantDb` cannot be handed a raw drizzle or postgres.js client (a type error).
 *
 * The builders are drizzle's (select, insert, update, delete, relational `query`, `execute`
 * for `sql`); every statement runs in a transaction with `app.tenant_id` set for it, after the
 * query guard has checked it.
 */
export interface TenantDb extends Pick<Remote, 'select' | 'selectDistinct' | 'selectDistinctOn' | 'update' | 'delete' | 'query' | '$with' | 'with'> {
  readonly [tenantDbBrand]: true;
  /** drizzle's insert, with tenant_id filled in (an explicit other tenant is refused). */
  insert<T extends PgTable>(table: T): ScopedInsertBuilder<T>;
  readonly tenantId: string;
  readonly tenant: TenantInfo;
  readonly mode: EnforcementMode;
  /** Raw SQL through the guard: every tenant table needs `tenant_id = ${tdb.tenantId}`. */
  execute<Row extends Record<string, unknown> = Record<string, unknown>>(query: SQLWrapper): Promise<Row[] & { count?: number }>;
  /** Several statements in one transaction under this tenant; a nested call is a savepoint. */
  transaction<T>(fn: (tx: TenantDb) => Promise<T>): Promise<T>;
  /**
   * This client, with `event` written to the audit trail by each statement it runs, in that
   * statement's own transaction and round trip (C10): `await tdb.audited(e).insert(t).values(v)`.
   */
  audited(event: AuditEvent): TenantDb;
}

/**
 * Shared by every copy of this module in the process: a bundler may load it twice (Next.js bundles
 * server actions and pages in separate layers), while the app keeps one Database in globalThis, so
 * a client made by one copy must be recognised by the other.
 */
function processWide<T>(name: string, make: () => T): T {
  const registry = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`@studio/tenancy/${name}`);
  return (registry[key] ??= make());
}

const issued = processWide('issued', () => new WeakSet<object>());

/** Runtime counterpart of the brand, for code that receives a client from untyped places. */
export function isTenantDb(value: unknown): value is TenantDb {
  return typeof value === 'object' && value !== null && issued.has(value);
}

const dialect = new PgDialect();
const tablesConfig = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
const schemaConfig = { fullSchema: schema, schema: tablesConfig.tables, tableNamesMap: tablesConfig.tableNamesMap };

export type Runner = (sql: string, params: readonly unknown[], method: Method) => Promise<unknown>;

/** What the audit helpers need from a client, kept off its public surface. */
export interface TenantDbHooks {
  actor: AuditActor;
  guard: QueryGuard;
  readOnly: boolean;
  run: Runner;
  /** Inside a transaction: queue a statement to go with the COMMIT. */
  defer?: (trailer: Trailer) => void;
}

const hooks = processWide('hooks', () => new WeakMap<object, TenantDbHooks>());

export function hooksOf(tdb: TenantDb): TenantDbHooks {
  const found = hooks.get(tdb);
  if (!found) throw new TypeError('Not a scoped client: get one from db.tenant(id) or getTenantContext().');
  return found;
}

export interface TenantDbParts {
  tenant: TenantInfo;
  mode: EnforcementMode;
  guard: QueryGuard;
  /** Sends a checked statement (one pipelined transaction, or inside an open one). */
  run: Runner;
  transaction<T>(fn: (tx: TenantDb) => Promise<T>): Promise<T>;
  actor: AuditActor;
  /** Refuse writes (default: when the tenant is read_only; db.tenant(id, { readOnly: true }) forces it). */
  readOnly?: boolean;
  defer?: (trailer: Trailer) => void;
  /** The same client whose statements each carry `trailer` (built by audited()). */
  withTrailer(trailer: Trailer): TenantDb;
}

export function createTenantDb(parts: TenantDbParts): TenantDb {
  const { tenant, guard, run } = parts;
  const readOnly = parts.readOnly ?? tenant.status === 'read_only';
  const guardedRun: Runner = async (sql, params, method) => {
    // Before anything is sent: the guard (C4), then the tenant's status.
    const verdict = guard.check(sql, params, tenant.id);
    if (readOnly && verdict.writes) throw new TenantReadOnlyError(tenant.id, tenant.statusReason);
    return run(sql, params, method);
  };
  const session = new PgRemoteSession(
    async (sql: string, params: unknown[], method: Method) => ({ rows: (await guardedRun(sql, params, method)) as unknown[] }),
    dialect,
    schemaConfig as never,
    {},
  );
  // Without the schema: building drizzle's relational builders for every table costs tens of
  // microseconds, and `tdb.audited(e)` makes a client per write. `query` builds them on first use.
  const remote = new PgRemoteDatabase(dialect, session, undefined) as unknown as Remote;
  const builders = new ScopedBuilders(tenant.id);

  const scopedWith = (...queries: Parameters<Remote['with']>) => {
    const w = remote.with(...queries);
    return {
      select: (...args: Parameters<typeof w.select>) => builders.select(w.select(...args)),
      selectDistinct: (...args: Parameters<typeof w.selectDistinct>) => builders.select(w.selectDistinct(...args)),
      selectDistinctOn: (...args: Parameters<typeof w.selectDistinctOn>) => builders.select(w.selectDistinctOn(...args)),
      update: (table: Parameters<typeof w.update>[0]) => builders.update(table, w.update(table)),
      insert: (table: Parameters<typeof w.insert>[0]) => builders.insert(table, w.insert(table)),
      delete: (table: Parameters<typeof w.delete>[0]) => builders.delete(table, w.delete(table)),
    };
  };

  let query: Remote['query'] | undefined;
  const relational = (): Remote['query'] => {
    if (!query) {
      const withSchema = new PgRemoteDatabase(dialect, session, schemaConfig as never) as unknown as Remote;
      query = Object.fromEntries(
        Object.entries(withSchema.query).map(([key, builder]) => [key, builders.relationalQuery(schema[key as keyof Schema], builder)]),
      ) as Remote['query'];
    }
    return query;
  };

  const db = {
    tenantId: tenant.id,
    tenant,
    mode: parts.mode,
    select: ((fields?: never) => builders.select(remote.select(fields as never))) as Remote['select'],
    selectDistinct: ((fields?: never) => builders.select(remote.selectDistinct(fields as never))) as Remote['selectDistinct'],
    selectDistinctOn: ((on: never, fields?: never) => builders.select(remote.selectDistinctOn(on, fields as never))) as Remote['selectDistinctOn'],
    insert: ((table: never) => builders.insert(table, remote.insert(table))) as TenantDb['insert'],
    update: ((table: never) => builders.update(table, remote.update(table))) as Remote['update'],
    delete: ((table: never) => builders.delete(table, remote.delete(table))) as Remote['delete'],
    get query() {
      return relational();
    },
    $with: remote.$with.bind(remote) as Remote['$with'],
    with: scopedWith as unknown as Remote['with'],
    execute: ((q: SQLWrapper) => builders.settle(remote.execute(q))) as TenantDb['execute'],
    transaction: parts.transaction,
    audited: (event: AuditEvent) => parts.withTrailer(auditTrailer(db, event)),
  } as unknown as TenantDb;
  issued.add(db);
  hooks.set(db, { actor: parts.actor, guard, readOnly, run: guardedRun, defer: parts.defer });
  return db;
}
