import { createTableRelationsHelpers, extractTablesRelationalConfig, type InferInsertModel, type Placeholder, type SQL, type SQLWrapper, type WithSubquery } from 'drizzle-orm';
import type { PgInsertBase, PgInsertBuilder, PgTable } from 'drizzle-orm/pg-core';
import { PgRemoteDatabase, type PgRemoteQueryResultHKT } from 'drizzle-orm/pg-proxy';
import * as schema from '@studio/db-schema/schema';
import type { QueryGuard } from '../guard/query-guard';
import { InsertBuilder, SelectBuilder, UpdateBuilder, deleteBuilder, scopeRelational } from './builders';
import type { Method, Trailer } from './executor';
import { auditTrailer, type AuditActor, type AuditEvent } from './audit-event';
import { dialect, ScopedSession } from './session';

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
  /** The BCP 47 tag its money, dates and numbers are written in (null: the reader's own). */
  locale?: string | null;
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

/**
 * Where a client keeps its hooks: a symbol-keyed property (never enumerated, never serialised),
 * not a WeakMap, which made every `tdb.audited(e)` cost microseconds of garbage collection.
 */
const HOOKS: unique symbol = processWide('hooks-key', () => Symbol('@studio/tenancy scoped client')) as never;

/** Runtime counterpart of the brand, for code that receives a client from untyped places. */
export function isTenantDb(value: unknown): value is TenantDb {
  return typeof value === 'object' && value !== null && (value as { [HOOKS]?: unknown })[HOOKS] !== undefined;
}

const tablesConfig = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
const schemaConfig = { fullSchema: schema, schema: tablesConfig.tables, tableNamesMap: tablesConfig.tableNamesMap };

export type Runner = (sql: string, params: readonly unknown[], method: Method) => Promise<unknown>;

/**
 * A client's tenant state (a TenantScope, scoped/tenant-scope.ts): what the client reads, and
 * what the audit helpers need, kept off its public surface.
 */
export interface TenantDbHooks {
  readonly tenant: TenantInfo;
  readonly mode: EnforcementMode;
  readonly actor: AuditActor;
  readonly guard: QueryGuard;
  readonly readOnly: boolean;
  /** Checks a statement (the guard, then read-only) and sends it with the scope's trailers. */
  run: Runner;
  /** Inside a transaction: queue a statement to go with the COMMIT. */
  defer?: (trailer: Trailer) => void;
  /** An audit row was committed on its own (audit() outside a transaction): seal it soon. */
  audited?: () => void;
  /** Several statements in one transaction (a savepoint inside one). */
  transaction<T>(fn: (tx: TenantDbHooks) => Promise<T>): Promise<T>;
  /** The same state, with `trailer` sent with each statement. */
  withTrailer(trailer: Trailer): TenantDbHooks;
}

export function hooksOf(tdb: TenantDb): TenantDbHooks {
  const found = (tdb as { [HOOKS]?: TenantDbHooks } | null)?.[HOOKS];
  if (!found) throw new TypeError('Not a scoped client: get one from db.tenant(id) or getTenantContext().');
  return found;
}

/**
 * A scoped client: drizzle's builders over its scope. Its methods live on the prototype:
 * `tdb.audited(e)` makes a client per audited write, which then costs a few allocations rather
 * than a closure per method.
 */
class ScopedClient {
  readonly tenantId: string;
  readonly tenant: TenantInfo;
  readonly mode: EnforcementMode;
  readonly [HOOKS]: TenantDbHooks;
  // Private (#): drizzle's objects must not be reachable from the client.
  readonly #session: ScopedSession;
  #db: Remote | undefined;
  #relational: Remote['query'] | undefined;

  constructor(scope: TenantDbHooks) {
    this[HOOKS] = scope;
    this.tenant = scope.tenant;
    this.tenantId = scope.tenant.id;
    this.mode = scope.mode;
    this.#session = new ScopedSession(scope);
  }

  select(fields?: never) {
    return new SelectBuilder(this.#session, this.tenantId, fields);
  }
  selectDistinct(fields?: never) {
    return new SelectBuilder(this.#session, this.tenantId, fields, undefined, true);
  }
  selectDistinctOn(on: never[], fields?: never) {
    return new SelectBuilder(this.#session, this.tenantId, fields, undefined, { on });
  }
  insert(table: PgTable) {
    return new InsertBuilder(this.#session, this.tenantId, table);
  }
  update(table: PgTable) {
    return new UpdateBuilder(this.#session, this.tenantId, table);
  }
  delete(table: PgTable) {
    return deleteBuilder(this.#session, this.tenantId, table);
  }
  with(...queries: WithSubquery[]) {
    const session = this.#session;
    const tenantId = this.tenantId;
    return {
      select: (fields?: never) => new SelectBuilder(session, tenantId, fields, queries),
      selectDistinct: (fields?: never) => new SelectBuilder(session, tenantId, fields, queries, true),
      selectDistinctOn: (on: never[], fields?: never) => new SelectBuilder(session, tenantId, fields, queries, { on }),
      insert: (table: PgTable) => new InsertBuilder(session, tenantId, table, queries),
      update: (table: PgTable) => new UpdateBuilder(session, tenantId, table, queries),
      delete: (table: PgTable) => deleteBuilder(session, tenantId, table, queries),
    };
  }
  // drizzle's database, for raw SQL (which the guard checks) and $with (whose query the builder
  // that made it scoped); made on first use, since `tdb.audited(e)` makes a client per write.
  get #remote(): Remote {
    return (this.#db ??= new PgRemoteDatabase(dialect, this.#session as never, undefined) as unknown as Remote);
  }
  // On first use too: drizzle's relational builders for every table cost tens of microseconds.
  get query(): Remote['query'] {
    if (!this.#relational) {
      const withSchema = new PgRemoteDatabase(dialect, this.#session as never, schemaConfig as never) as unknown as Remote;
      this.#relational = Object.fromEntries(
        Object.entries(withSchema.query).map(([key, builder]) => [key, scopeRelational(schema[key as keyof Schema], builder, this.tenantId)]),
      ) as Remote['query'];
    }
    return this.#relational;
  }
  $with(...args: Parameters<Remote['$with']>) {
    return this.#remote.$with(...args);
  }
  execute(q: SQLWrapper) {
    return this.#remote.execute(q);
  }
  transaction<T>(fn: (tx: TenantDb) => Promise<T>): Promise<T> {
    return this[HOOKS].transaction((scope) => fn(createTenantDb(scope)));
  }
  audited(event: AuditEvent): TenantDb {
    const scope = this[HOOKS];
    return createTenantDb(scope.withTrailer(auditTrailer(this.tenantId, scope.actor, scope.guard, event)));
  }
}

/** The client over `scope` (a TenantScope that database.ts makes for db.tenant(id)). */
export function createTenantDb(scope: TenantDbHooks): TenantDb {
  return new ScopedClient(scope) as unknown as TenantDb;
}
