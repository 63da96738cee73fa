import { Column, DrizzleQueryError, is, NoopLogger, sql, type Query, type SQL } from 'drizzle-orm';
import { NoopCache } from 'drizzle-orm/cache/core';
import { PgDialect, type PreparedQueryConfig, type SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import { PgRemoteSession, PreparedQuery, type RemoteCallback } from 'drizzle-orm/pg-proxy';
import type { Method } from './executor';
import { SelectShapes } from './shapes';

/** How many column lists a dialect keeps; past this it starts again (an alias makes new columns per call). */
const MAX_SELECTIONS = 2000;

type Fields = { path: string[]; field: unknown }[];
type BuildSelection = (fields: Fields, options?: { isSingleTable?: boolean }) => SQL;

/**
 * drizzle's Postgres dialect, with the text of a list of columns built once. Selecting a table's
 * columns (what `tdb.select().from(t)` and `returning()` write) was most of the time it took to
 * build a query per call: each column becomes SQL chunks that are walked and escaped again on
 * every call, for the same text. A list of plain columns has no parameters, and its text depends
 * only on the columns (a column's name and table are fixed when it is made) and on whether they
 * are qualified; a list with anything else (an expression, an aliased field, a subquery) is built
 * by drizzle as before. drizzle still maps the rows from the same ordered fields.
 * (`buildSelection` is private in drizzle's types, so it is replaced on the instance.)
 */
export function cachedSelections(dialect: PgDialect): PgDialect {
  const target = dialect as unknown as { buildSelection: BuildSelection };
  const build = target.buildSelection.bind(dialect);
  const selections = new Map<string, string>();
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  target.buildSelection = (fields, options = {}) => {
    let key = options.isSingleTable ? 's' : 'q';
    for (const { field } of fields) {
      if (!is(field, Column)) return build(fields, options);
      let id = ids.get(field);
      if (id === undefined) ids.set(field, (id = ++nextId));
      key += `,${id}`;
    }
    let text = selections.get(key);
    if (text === undefined) {
      const built = dialect.sqlToQuery(build(fields, options));
      // Plain columns carry no parameters; should drizzle ever make one, the list is left to it.
      if (built.params.length > 0) return build(fields, options);
      text = built.sql;
      if (selections.size >= MAX_SELECTIONS) selections.clear();
      selections.set(key, text);
    }
    return sql.raw(text);
  };
  return dialect;
}

export const dialect = cachedSelections(new PgDialect());
/** Selects built through `dialect`, their text kept by shape (shapes.ts). */
export const selects = new SelectShapes(dialect);
const logger = new NoopLogger();
const cache = new NoopCache();

/** Where a session's statements go: a tenant scope, which checks each one and sends it under the tenant. */
export interface StatementRunner {
  run(sql: string, params: readonly unknown[], method: Method): Promise<unknown>;
}

/**
 * drizzle wraps whatever its driver callback throws in DrizzleQueryError; the scoped client's
 * caller gets the error itself (the guard's TenantScopeError, Postgres's DatabaseError with its
 * `code`). Done here, where every builder's statement is executed, so no path misses it.
 */
class UnwrappedQuery<T extends PreparedQueryConfig> extends PreparedQuery<T> {
  override async execute(placeholderValues?: Record<string, unknown>): Promise<T['execute']> {
    try {
      return await super.execute(placeholderValues);
    } catch (error) {
      throw error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
    }
  }
}

/** drizzle's session for one scoped client. */
export class ScopedSession extends PgRemoteSession<Record<string, never>, Record<string, never>> {
  readonly #client: RemoteCallback;

  constructor(runner: StatementRunner) {
    const client: RemoteCallback = async (sql, params, method) => ({ rows: (await runner.run(sql, params, method)) as unknown[] });
    super(client, dialect, undefined, { logger, cache });
    this.#client = client;
  }

  override prepareQuery<T extends PreparedQueryConfig>(
    query: Query & { typings?: unknown[] },
    fields: SelectedFieldsOrdered | undefined,
    _name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => T['execute'],
    queryMetadata?: { type: 'select' | 'update' | 'delete' | 'insert'; tables: string[] },
    cacheConfig?: Parameters<PgRemoteSession<Record<string, never>, Record<string, never>>['prepareQuery']>[6],
  ): PreparedQuery<T> {
    return new UnwrappedQuery<T>(this.#client, query.sql, query.params, query.typings, logger, cache, queryMetadata, cacheConfig, fields, isResponseInArrayMode, customResultMapper);
  }
}
