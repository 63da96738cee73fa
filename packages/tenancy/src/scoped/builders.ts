/**
 * The scoped client's query builders: drizzle's own, which add `tenant_id = <current tenant>` to
 * a tenant table without the developer writing it (C4). The filters go in when the statement is
 * built (`getSQL`), from what drizzle recorded, so every way of building one (each join method,
 * `$dynamic()`, subqueries, set operators, `prepare()`) meets the same rules:
 * - select/update/delete: the filter is ANDed into WHERE (into ON for inner and left joins);
 * - insert: rows get tenant_id filled; an explicit other tenant is refused;
 * - relational queries (`tdb.query.x.findMany`): the filter is ANDed into `where`.
 * The query guard still checks the SQL these produce, so a builder path this file does not
 * cover is refused rather than run unscoped.
 */
import { and, eq, getTableColumns, getTableName, is, type SQL } from 'drizzle-orm';
import {
  PgDeleteBase,
  PgInsertBuilder,
  PgSelectBuilder,
  PgTable,
  PgUpdateBuilder,
  type PgColumn,
  type PgDeleteConfig,
  type PgSelectConfig,
  type PgSelectJoinConfig,
  type PgUpdateConfig,
} from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm';
import { isTenantTable } from '@studio/db-schema/table-kinds';
import { TenantScopeError } from '../errors';
import { dialect, selects, type ScopedSession } from './session';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- drizzle's builders; TenantDb types what callers see

interface TenantColumn {
  key: string;
  column: PgColumn;
}

const tenantColumns = new WeakMap<object, TenantColumn | null>();

/** The tenant_id column of a tenant table (or of an alias of one); undefined for anything else. */
export function tenantColumnOf(source: unknown): TenantColumn | undefined {
  if (!source || typeof source !== 'object' || !is(source, PgTable) || !isTenantTable(source)) return undefined;
  let found = tenantColumns.get(source);
  if (found === undefined) {
    const entry = Object.entries(getTableColumns(source)).find(([, column]) => column.name === 'tenant_id');
    found = entry ? { key: entry[0], column: entry[1] } : null;
    tenantColumns.set(source, found);
  }
  return found ?? undefined;
}

function filterOf(source: unknown, tenantId: string): SQL | undefined {
  const column = tenantColumnOf(source);
  return column ? eq(column.column, tenantId) : undefined;
}

/** The tenant of a scoped statement, kept on drizzle's builder itself (no closure per statement). */
const TENANT = Symbol('@studio/tenancy tenant id');

interface Built<Config> {
  config: Config;
  [TENANT]: string;
  getSQL(): SQL;
}

/**
 * `query` (drizzle's select, update or delete), whose SQL is built by `build` with the tenant's
 * filters. drizzle builds every statement, subquery and set operand through `getSQL`, and its
 * chain methods return the same object, so this one own property covers the whole chain.
 */
function scoped<T, Config>(query: T, tenantId: string, build: (this: Built<Config>) => SQL): T {
  const built = query as unknown as Built<Config>;
  built[TENANT] = tenantId;
  built.getSQL = build;
  return query;
}

function refuse(join: PgSelectJoinConfig, problem: string): never {
  const method = `${join.joinType}Join${join.lateral ? 'Lateral' : ''}`;
  const table = is(join.table, PgTable) ? getTableName(join.table) : undefined;
  throw new TenantScopeError(`${method}() ${problem}`, `${method}(...)`, table, 'join');
}

/**
 * Each joined table's filter: in the ON of an inner or left join (a left join keeps its
 * unmatched rows), in WHERE (`where`) for a cross join. A right or full join keeps the rows of a
 * side whose filter would drop them again (an inner join in disguise), and LATERAL takes a
 * subquery (scoped where it was built), not a table: with a tenant table these are refused, and
 * so is any join kind not named here.
 */
function scopeJoins(joins: PgSelectJoinConfig[], where: SQL[], tenantSeen: boolean, tenantId: string): PgSelectJoinConfig[] {
  return joins.map((join) => {
    const filter = filterOf(join.table, tenantId);
    const kind = join.joinType;
    if (kind !== 'inner' && kind !== 'left' && kind !== 'cross' && (tenantSeen || filter)) {
      refuse(join, 'with a tenant table cannot keep the rows of its outer side under the tenant filter (it would act as an inner join)');
    }
    if (!filter) return join;
    if (join.lateral) refuse(join, 'takes a subquery, not a tenant table (a subquery built with this client carries its own tenant filter)');
    tenantSeen = true;
    if (kind === 'cross') {
      where.push(filter);
      return join;
    }
    return { ...join, on: and(filter, join.on) };
  });
}

function selectSQL(this: Built<PgSelectConfig>): SQL {
  const { config } = this;
  const tenantId = this[TENANT];
  const where: SQL[] = [];
  const own = filterOf(config.table, tenantId);
  if (own) where.push(own);
  if (!own && !config.joins) return selects.build(config);
  const joins = config.joins && scopeJoins(config.joins, where, own !== undefined, tenantId);
  return selects.build(config, and(...where, config.where), joins);
}

// UPDATE t SET ... FROM f JOIN j: t's and f's filters go to WHERE, j's by its join kind.
function updateSQL(this: Built<PgUpdateConfig>): SQL {
  const { config } = this;
  const tenantId = this[TENANT];
  const where: SQL[] = [];
  for (const source of [config.table, config.from]) {
    const filter = filterOf(source, tenantId);
    if (filter) where.push(filter);
  }
  const joins = config.joins.length ? scopeJoins(config.joins, where, where.length > 0, tenantId) : config.joins;
  return dialect.buildUpdateQuery(where.length ? { ...config, where: and(...where, config.where), joins } : config);
}

function deleteSQL(this: Built<PgDeleteConfig>): SQL {
  const { config } = this;
  const filter = filterOf(config.table, this[TENANT]);
  return dialect.buildDeleteQuery(filter ? { ...config, where: and(filter, config.where) } : config);
}

/** `select(...)`, `selectDistinct(...)`, `selectDistinctOn(...)`: scoped once `.from(source)` names what it reads. */
export class SelectBuilder extends PgSelectBuilder<Any> {
  readonly #tenantId: string;

  constructor(session: ScopedSession, tenantId: string, fields: Any, withList?: WithSubquery[], distinct?: boolean | { on: Any[] }) {
    super({ fields, session, dialect, withList, distinct });
    this.#tenantId = tenantId;
  }

  override from(source: Any): Any {
    return scoped(super.from(source), this.#tenantId, selectSQL);
  }
}

export class UpdateBuilder extends PgUpdateBuilder<Any, Any> {
  readonly #table: PgTable;
  readonly #tenantId: string;

  constructor(session: ScopedSession, tenantId: string, table: PgTable, withList?: WithSubquery[]) {
    super(table, session, dialect, withList);
    this.#table = table;
    this.#tenantId = tenantId;
  }

  override set(values: Record<string, unknown>): Any {
    const column = tenantColumnOf(this.#table);
    if (column && column.key in values && values[column.key] !== this.#tenantId) {
      throw new TenantScopeError(`an update may not move rows to another tenant (tenant_id = ${JSON.stringify(values[column.key])})`, 'update ... set', getTableName(this.#table));
    }
    return scoped(super.set(values), this.#tenantId, updateSQL);
  }
}

export function deleteBuilder(session: ScopedSession, tenantId: string, table: PgTable, withList?: WithSubquery[]): Any {
  return scoped(new PgDeleteBase(table, session, dialect, withList), tenantId, deleteSQL);
}

/** INSERT: rows get tenant_id filled. INSERT ... SELECT is left to the guard, which checks the select binds the tenant. */
export class InsertBuilder extends PgInsertBuilder<Any, Any> {
  readonly #table: PgTable;
  readonly #tenantId: string;

  constructor(session: ScopedSession, tenantId: string, table: PgTable, withList?: WithSubquery[]) {
    super(table, session, dialect, withList);
    this.#table = table;
    this.#tenantId = tenantId;
  }

  override values(values: Record<string, unknown> | Record<string, unknown>[]): Any {
    const column = tenantColumnOf(this.#table);
    if (!column) return super.values(values);
    if (!Array.isArray(values)) return super.values(this.#fill(values, column.key));
    const rows = [];
    for (const row of values) rows.push(this.#fill(row, column.key));
    return super.values(rows);
  }

  #fill(row: Record<string, unknown>, key: string): Record<string, unknown> {
    const given = row[key];
    if (given !== undefined && given !== this.#tenantId) {
      throw new TenantScopeError(`an insert may not carry another tenant's id (tenant_id = ${JSON.stringify(given)})`, 'insert ... values', getTableName(this.#table));
    }
    return { ...row, [key]: this.#tenantId };
  }
}

interface RelationalConfig {
  where?: SQL | ((fields: Record<string, PgColumn>, operators: { and: typeof and; eq: typeof eq }) => SQL | undefined);
  [key: string]: unknown;
}

interface RelationalBuilder {
  [TENANT]: { tenantId: string; key: string };
  findMany(config?: RelationalConfig): unknown;
  findFirst(config?: RelationalConfig): unknown;
}

/** The caller's relational config, its `where` ANDed with the tenant filter. */
function withTenantWhere(builder: RelationalBuilder, config: RelationalConfig = {}): RelationalConfig {
  const { tenantId, key } = builder[TENANT];
  const theirs = config.where;
  return {
    ...config,
    where: (fields, operators) => operators.and(operators.eq(fields[key]!, tenantId), typeof theirs === 'function' ? theirs(fields, operators) : theirs),
  };
}

function findMany(this: RelationalBuilder, config?: RelationalConfig): unknown {
  return (Object.getPrototypeOf(this) as RelationalBuilder).findMany.call(this, withTenantWhere(this, config));
}

function findFirst(this: RelationalBuilder, config?: RelationalConfig): unknown {
  return (Object.getPrototypeOf(this) as RelationalBuilder).findFirst.call(this, withTenantWhere(this, config));
}

/** `tdb.query.<table>` of a tenant table: findMany/findFirst with the tenant filter in `where`. */
export function scopeRelational<T extends object>(table: unknown, builder: T, tenantId: string): T {
  const column = tenantColumnOf(table);
  if (!column) return builder;
  const relational = builder as unknown as RelationalBuilder;
  relational[TENANT] = { tenantId, key: column.key };
  relational.findMany = findMany;
  relational.findFirst = findFirst;
  return builder;
}
