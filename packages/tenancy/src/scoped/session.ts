import { DrizzleQueryError, NoopLogger, type Query } from 'drizzle-orm';
import { NoopCache } from 'drizzle-orm/cache/core';
import { PgDialect, type PreparedQueryConfig, type SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import { PgRemoteSession, PreparedQuery, type RemoteCallback } from 'drizzle-orm/pg-proxy';
import type { Method } from './executor';

export const dialect = new PgDialect();
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
