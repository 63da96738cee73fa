/**
 * The scoped client's query builders: drizzle's own, wrapped so a tenant table gets
 * `tenant_id = <current tenant>` without the developer writing it (C4):
 * - select/update/delete: the filter is ANDed into WHERE (and into ON for inner/left joins);
 * - insert: rows get tenant_id filled; an explicit other tenant is refused;
 * - relational queries (`tdb.query.x.findMany`): the filter is ANDed into `where`.
 * The query guard still checks the SQL these produce, so a builder path this file does not
 * cover is refused rather than run unscoped.
 */
import { and, DrizzleQueryError, eq, getTableColumns, getTableName, is, type SQL } from 'drizzle-orm';
import { PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { isTenantTable } from '@studio/db-schema/table-kinds';
import { TenantScopeError } from '../errors';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any -- wraps drizzle's untyped runtime methods
type Where = SQL | undefined | AnyFn;

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

function combine(filters: SQL[], where: Where): Where {
  if (!filters.length) return where;
  if (typeof where === 'function') return (...args: unknown[]) => and(...filters, where(...args));
  return and(...filters, where);
}

/** drizzle wraps driver errors in DrizzleQueryError; the caller gets the original error. */
function unwrap(error: unknown): never {
  throw error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
}

const settling = new Set(['catch', 'finally']);

/**
 * A proxy of a drizzle builder whose `overrides` replace some methods. Methods that return the
 * builder itself (drizzle chains by returning `this`) return the proxy, so the overrides stay in
 * effect along the whole chain.
 */
function intercept<T extends object>(target: T, overrides: Record<string, (original: AnyFn) => AnyFn>): T {
  const proxy: T = new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key, t);
      if (typeof key !== 'string' || key === 'constructor' || typeof value !== 'function') return value;
      const original = (value as AnyFn).bind(t);
      const override = overrides[key];
      if (override) return override(original);
      if (key === 'then') {
        return (onFulfilled?: AnyFn, onRejected?: AnyFn) => (t as unknown as Promise<unknown>).then(undefined, unwrap).then(onFulfilled, onRejected);
      }
      if (key === 'execute') return (...args: unknown[]) => (original(...args) as Promise<unknown>).then(undefined, unwrap);
      if (settling.has(key)) return (...args: unknown[]) => (proxy as unknown as Promise<unknown>).then()[key as 'catch'](...(args as []));
      return (...args: unknown[]) => {
        const result = original(...args);
        return result === t ? proxy : result;
      };
    },
  });
  return proxy;
}

export class ScopedBuilders {
  constructor(private readonly tenantId: string) {}

  private filterFor(source: unknown): SQL | undefined {
    const column = tenantColumnOf(source);
    return column ? eq(column.column, this.tenantId) : undefined;
  }

  /**
   * WHERE filters for the FROM table and tables joined on a preserved side (cross joins); ON
   * filters for tables joined on an inner or nullable side (inner and left joins). Right and full
   * joins with a tenant table are refused: the FROM side's filter in WHERE would drop the rows
   * they exist to keep, so they would silently act as inner joins.
   */
  private scopeFiltering<T extends object>(builder: T, initial: SQL[]): T {
    const whereFilters = [...initial];
    let tenantTableSeen = initial.length > 0;
    let userWhere: Where;
    const applyWhere = (setWhere: AnyFn) => setWhere(combine(whereFilters, userWhere));
    const joinOn = (filterInOn: boolean) => (original: AnyFn) => (table: unknown, on?: Where) => {
      const filter = this.filterFor(table);
      if (!filter) return wrap(original(table, on));
      tenantTableSeen = true;
      if (filterInOn) return wrap(original(table, combine([filter], on)));
      whereFilters.push(filter);
      const result = on === undefined ? original(table) : original(table, on);
      applyWhere((builder as Record<string, AnyFn>).where!.bind(builder));
      return wrap(result);
    };
    const wrap = (result: unknown) => (result === builder ? proxy : result);
    const refuseOuterJoin = (kind: 'rightJoin' | 'fullJoin', table: unknown) => {
      if (!tenantTableSeen && !this.filterFor(table)) return; // no tenant table on either side: nothing to filter
      const name = is(table, PgTable) ? getTableName(table) : undefined;
      throw new TenantScopeError(`${kind}() with a tenant table cannot keep the rows of its outer side under the tenant filter (it would act as an inner join)`, `${kind}(...)`, name, 'join');
    };
    const proxy: T = intercept(builder, {
      where: (original) => (where: Where) => {
        userWhere = where;
        return wrap(applyWhere(original));
      },
      innerJoin: joinOn(true),
      leftJoin: joinOn(true),
      rightJoin: (original) => (table: unknown, on?: Where) => {
        refuseOuterJoin('rightJoin', table);
        return wrap(original(table, on));
      },
      fullJoin: (original) => (table: unknown, on?: Where) => {
        refuseOuterJoin('fullJoin', table);
        return wrap(original(table, on));
      },
      crossJoin: joinOn(false),
      // UPDATE ... FROM t: t's filter goes to WHERE.
      from: (original) => (table: unknown) => {
        const filter = this.filterFor(table);
        const result = original(table);
        if (filter) {
          whereFilters.push(filter);
          applyWhere((builder as Record<string, AnyFn>).where!.bind(builder));
        }
        return wrap(result);
      },
    });
    if (whereFilters.length) applyWhere((builder as Record<string, AnyFn>).where!.bind(builder));
    return proxy;
  }

  /** `select(...)` / `selectDistinct(...)` builders: scoped once `.from(table)` names the table. */
  select<T extends object>(selectBuilder: T): T {
    return intercept(selectBuilder, {
      from: (original) => (source: unknown, ...rest: unknown[]) => {
        const filter = this.filterFor(source);
        return this.scopeFiltering(original(source, ...rest), filter ? [filter] : []);
      },
    });
  }

  update<T extends object>(table: unknown, updateBuilder: T): T {
    const column = tenantColumnOf(table);
    return intercept(updateBuilder, {
      set: (original) => (values: Record<string, unknown>) => {
        if (column && column.key in values && values[column.key] !== this.tenantId) {
          throw new TenantScopeError(`an update may not move rows to another tenant (tenant_id = ${JSON.stringify(values[column.key])})`, 'update ... set', getTableName(table as PgTable));
        }
        const filter = this.filterFor(table);
        return this.scopeFiltering(original(values), filter ? [filter] : []);
      },
    });
  }

  delete<T extends object>(table: unknown, deleteBase: T): T {
    const filter = this.filterFor(table);
    return this.scopeFiltering(deleteBase, filter ? [filter] : []);
  }

  insert<T extends object>(table: unknown, insertBuilder: T): T {
    const column = tenantColumnOf(table);
    const fill = (row: Record<string, unknown>) => {
      if (!column) return row;
      const given = row[column.key];
      if (given !== undefined && given !== this.tenantId) {
        throw new TenantScopeError(`an insert may not carry another tenant's id (tenant_id = ${JSON.stringify(given)})`, 'insert ... values', getTableName(table as PgTable));
      }
      return { ...row, [column.key]: this.tenantId };
    };
    return intercept(insertBuilder, {
      values: (original) => (values: Record<string, unknown> | Record<string, unknown>[]) =>
        this.settle(original(Array.isArray(values) ? values.map(fill) : fill(values))),
      // INSERT ... SELECT: the guard checks that the select binds the current tenant.
      select: (original) => (query: unknown) => this.settle(original(query)),
    });
  }

  /** `tdb.query.<table>.findMany/findFirst`: the filter joins the caller's `where`. */
  relationalQuery<T extends object>(table: unknown, queryBuilder: T): T {
    const column = tenantColumnOf(table);
    if (!column) return queryBuilder;
    const scoped = (original: AnyFn) => (config: { where?: Where } = {}) => {
      const userWhere = config.where;
      const where = (fields: Record<string, PgColumn>, operators: { and: typeof and; eq: typeof eq }) => {
        const own = operators.eq(fields[column.key]!, this.tenantId);
        const theirs = typeof userWhere === 'function' ? userWhere(fields, operators) : userWhere;
        return operators.and(own, theirs);
      };
      return this.settle(original({ ...config, where }));
    };
    return intercept(queryBuilder, { findMany: scoped, findFirst: scoped });
  }

  /** A query promise whose errors reach the caller unwrapped. */
  settle<T extends object>(query: T): T {
    return intercept(query, {});
  }
}
