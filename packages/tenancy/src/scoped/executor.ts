/**
 * How a scoped statement reaches Postgres.
 *
 * A single statement is one message sequence with one Sync: Bind/Execute of
 * `set_config('app.tenant_context', <signed tenant>, true)` (C15: RLS trusts only a value signed
 * with TENANT_CONTEXT_KEY, see @studio/db-schema/tenant-context), then the statement, then any trailers (audit
 * rows), then Sync. Postgres runs everything between two Syncs in one implicit transaction and
 * commits it at the Sync (or rolls all of it back on an error), so the setting is
 * transaction-local exactly as inside BEGIN..COMMIT, at the cost of one Bind/Execute and no
 * round trip. The operation is whole on its own, so it needs no reserved connection: it
 * pipelines on a pooled connection like any other query (postgres.js, patched: the `prelude` and
 * `postlude` query options, see patches/). The patch also closes a connection a prelude query
 * left inside a transaction block, so a setting can never outlive its statement.
 *
 * `transaction(fn)` reserves a connection: BEGIN, the setting and the first statement are
 * written together, COMMIT (or ROLLBACK) ends it. Statements are prepared (named, cached per
 * connection), so a warm query shape skips Parse/Describe.
 *
 * On Citus (detected once per pool) the setting must reach the workers, and only
 * `SET LOCAL app.tenant_context = '<value>'` inside a transaction block does (with
 * citus.propagate_set_commands = local, which every pool pins; set_config never reaches them,
 * and SET LOCAL in the implicit transaction only warns). There a single statement goes as
 * BEGIN, SET LOCAL, the statement, its trailers and COMMIT written together on a reserved
 * connection: still one round trip, and a failure turns the COMMIT into a ROLLBACK. The value
 * is spliced into the SET text only after a strict check (setLocalTenantContextSql), as a simple
 * query: never a prepared statement per value. Plain Postgres keeps the prepared set_config.
 */
import postgres, { type ReservedSql, type Sql } from 'postgres';
import { CITUS_PROPAGATE_SET_COMMANDS, SET_TENANT_CONTEXT_SQL, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { TenantTransactionError } from '../errors';

export type Method = 'all' | 'execute';

/** What sits between the app and Postgres: nothing (or a session-mode pooler), or PgBouncer-style transaction pooling. */
export type Pooler = 'none' | 'transaction';

/** A statement sent after the caller's, in the same pipeline, before COMMIT (an audit row). */
export interface Trailer {
  sql: string;
  params: readonly unknown[];
  /** An audit row: once it commits, the tenant's chain needs sealing. */
  audit?: boolean;
}

const SET_TENANT = SET_TENANT_CONTEXT_SQL;

/**
 * Settings every pool pins in its startup packet. A role-level setting (`ALTER ROLE ... SET`,
 * which a role may run on itself) is applied only where the startup packet names nothing, so
 * one statement cannot make every new connection read-only, remove the timeouts, turn row
 * security off, hide the schema, or change how strings are read: with
 * standard_conforming_strings off the server reads a backslash in a literal differently from
 * the guard's parser, and a filter the guard saw as one literal becomes `or true`.
 */
export interface SessionSettings {
  /** Milliseconds. */
  statement_timeout: number;
  lock_timeout: number;
  idle_in_transaction_session_timeout: number;
  /** As text: postgres.js leaves a `false` parameter out of the startup packet. */
  default_transaction_read_only: 'off';
  search_path: string;
  row_security: 'on';
  standard_conforming_strings: 'on';
  DateStyle: string;
  IntervalStyle: string;
  bytea_output: string;
}

const FIXED = {
  default_transaction_read_only: 'off',
  search_path: 'public',
  row_security: 'on',
  standard_conforming_strings: 'on',
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  bytea_output: 'hex',
} as const;

export const REQUEST_SESSION: SessionSettings = {
  statement_timeout: 30_000,
  lock_timeout: 10_000,
  idle_in_transaction_session_timeout: 60_000,
  ...FIXED,
};

/** Jobs and exports: longer statements, same protections. */
export const BACKGROUND_SESSION: SessionSettings = {
  statement_timeout: 15 * 60_000,
  lock_timeout: 30_000,
  idle_in_transaction_session_timeout: 5 * 60_000,
  ...FIXED,
};

/** The same settings as a startup `options` string (`-c name=value ...`), for node-postgres pools (pg-boss). */
export function sessionOptions(settings: SessionSettings): string {
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${String(value).replace(/[\\ ]/g, (c) => `\\${c}`)}`)
    .join(' ');
}

/**
 * Seconds before a pool retries a failed connection. postgres.js backs off 3^n/100 s, up to 20 s,
 * counted across the pool: after a restart or a burst of killed backends, requests would wait that
 * long for a connection. This retries within 2 s at most. Every request-serving pool uses it.
 */
export function reconnectBackoff(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 2) * (0.5 + Math.random() / 2);
}

/** postgres.js configured like drizzle's own postgres-js driver, so drizzle maps values the same way. */
export function createPool(url: string, max: number, applicationName: string, pooler: Pooler = 'none', settings: SessionSettings = REQUEST_SESSION): Sql {
  const sql = postgres(url, {
    max,
    // Named prepared statements live on one server connection; a transaction-mode pooler hands
    // the next transaction to another one, where the name is unknown. Unnamed, postgres.js
    // describes each parameterized statement before sending it: a round trip more per statement.
    prepare: pooler !== 'transaction',
    onnotice: () => {},
    backoff: reconnectBackoff,
    // PgBouncer refuses startup parameters it does not know: behind it, pin these in its own
    // configuration instead (docs/security.md).
    connection: (pooler === 'transaction'
      ? { application_name: applicationName }
      : { application_name: applicationName, ...settings, ...CITUS_PROPAGATE_SET_COMMANDS }) as postgres.Options<Record<string, never>>['connection'],
  });
  // drizzle-orm/postgres-js passes these types through as text and parses them itself.
  const transparent = (value: unknown) => value;
  const options = sql.options as unknown as {
    parsers: Record<string, (value: unknown) => unknown>;
    serializers: Record<string, (value: unknown) => unknown>;
  };
  for (const type of ['1184', '1082', '1083', '1114', '1182', '1185', '1115', '1231']) {
    options.parsers[type] = transparent;
    options.serializers[type] = transparent;
  }
  options.serializers['114'] = transparent;
  options.serializers['3802'] = transparent;
  return sql;
}

function statement(conn: ReservedSql, sql: string, params: readonly unknown[], method: Method) {
  // Named and cached per connection; a pool created with prepare: false (behind a transaction
  // pooler) overrides this, and postgres.js then describes each parameterized statement first.
  const query = conn.unsafe(sql, params as postgres.ParameterOrJSON<never>[], { prepare: true });
  // drizzle's proxy driver maps 'all' results from arrays (column order), 'execute' from objects.
  return method === 'all' ? query.values() : query;
}

/**
 * Transaction control goes as a simple query, never a named statement: a named BEGIN the server
 * had lost (a pooler's other connection) would fail while the statements behind it ran in
 * autocommit.
 */
function control(conn: ReservedSql, text: string) {
  // No parameters and prepare: false: postgres.js sends it as a simple Query message.
  return conn.unsafe(text, [], { prepare: false });
}

function begin(conn: ReservedSql, readOnly: boolean) {
  return control(conn, readOnly ? 'begin read only' : 'begin');
}

/** Awaits every pipelined query; throws the first failure in send order. */
async function settle<T extends readonly Promise<unknown>[]>(queries: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(queries);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** Trailer parameters go as text, typed by the server from the statement. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The statement that sets the tenant for the implicit transaction (and makes it read-only). */
function prelude(context: string, readOnly: boolean) {
  return readOnly
    ? { string: `${SET_TENANT}, set_config('transaction_read_only', 'on', true)`, parameters: [context] }
    : { string: SET_TENANT, parameters: [context] };
}

const citusPools = new WeakMap<Sql, Promise<boolean>>();

/** Whether the pool's database has the citus extension: asked once per pool (a failed probe is asked again). */
export function isCitusPool(pool: Sql): Promise<boolean> {
  let known = citusPools.get(pool);
  if (!known) {
    known = pool
      .unsafe("select exists (select 1 from pg_catalog.pg_extension where extname = 'citus') as citus", [], { prepare: false })
      .then((rows) => (rows[0] as { citus?: boolean } | undefined)?.citus === true);
    known.catch(() => citusPools.delete(pool));
    citusPools.set(pool, known);
  }
  return known;
}

/** On Citus: BEGIN, SET LOCAL, the statement, the trailers and COMMIT in one write on a reserved connection. */
async function runInBlock(pool: Sql, context: string, readOnly: boolean, sql: string, params: readonly unknown[], method: Method, trailers: readonly Trailer[]) {
  const setTenant = setLocalTenantContextSql(context);
  const conn = await pool.reserve();
  try {
    const [, , rows] = await settle([
      begin(conn, readOnly),
      control(conn, setTenant),
      statement(conn, sql, params, method),
      ...trailers.map((t) => statement(conn, t.sql, t.params, 'execute')),
      control(conn, 'commit'),
    ] as const);
    return rows;
  } finally {
    conn.release();
  }
}

/**
 * One statement, one round trip, no reserved connection: the setting, the statement and its
 * trailers in one implicit transaction. A failing trailer rolls the statement back with it.
 */
export async function runScoped(
  pool: Sql,
  /** The signed tenant context (TenantContextSigner.sign), not a bare tenant id. */
  context: string,
  readOnly: boolean,
  sql: string,
  params: readonly unknown[],
  method: Method,
  trailers: readonly Trailer[] = [],
): Promise<unknown> {
  if (await isCitusPool(pool)) return runInBlock(pool, context, readOnly, sql, params, method, trailers);
  const options = {
    prepare: true,
    // Never the simple protocol (postgres.js's default without parameters): it would end the
    // implicit transaction before the statement.
    simple: false,
    prelude: [prelude(context, readOnly)],
    ...(trailers.length > 0 ? { postlude: trailers.map((t) => ({ string: t.sql, parameters: t.params.map(asText) })) } : {}),
  };
  const query = pool.unsafe(sql, params as postgres.ParameterOrJSON<never>[], options as postgres.UnsafeQueryOptions);
  return method === 'all' ? query.values() : query;
}

/**
 * Several statements under one scoping. BEGIN and the setting are sent with the first
 * statement (nothing is sent for a transaction that runs none); COMMIT when `fn` resolves,
 * ROLLBACK when it throws, and the caller always gets `fn`'s own error.
 */
export class ScopedTransaction {
  private started = false;
  private finished = false;
  private savepoints = 0;
  /** The first statement error, so a COMMIT that Postgres turned into ROLLBACK is not reported as success. */
  private failure: unknown;
  /** Statements that ride with the COMMIT (audit rows), sent in the same write. */
  private readonly trailers: Trailer[] = [];

  constructor(
    private readonly conn: ReservedSql,
    /** The signed tenant context. */
    private readonly context: string,
    private readonly readOnly: boolean,
    /** Citus: SET LOCAL, which reaches the workers. */
    private readonly citus = false,
  ) {}

  private setTenant() {
    return this.citus ? control(this.conn, setLocalTenantContextSql(this.context)) : this.conn.unsafe(SET_TENANT, [this.context], { prepare: true });
  }

  async run(sql: string, params: readonly unknown[], method: Method): Promise<unknown> {
    if (this.finished) {
      throw new TenantTransactionError(
        'This scoped transaction has already finished: use the `tx` passed to transaction(fn) only inside fn, and await every statement.',
      );
    }
    try {
      if (!this.started) {
        this.started = true;
        const [, , rows] = await settle([
          begin(this.conn, this.readOnly),
          this.setTenant(),
          statement(this.conn, sql, params, method),
        ] as const);
        return rows;
      }
      return await statement(this.conn, sql, params, method);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  /** Sends `trailer` together with the COMMIT: no round trip of its own; if it fails, nothing commits. */
  defer(trailer: Trailer): void {
    if (this.finished) {
      throw new TenantTransactionError('This scoped transaction has already finished: audit inside transaction(fn), before it returns.');
    }
    this.trailers.push(trailer);
  }

  /** A nested transaction(fn): a savepoint, so its failure undoes only its own statements. */
  async nested<T>(fn: () => Promise<T>): Promise<T> {
    const name = `studio_sp_${++this.savepoints}`;
    await this.run(`savepoint ${name}`, [], 'execute');
    const failureBefore = this.failure;
    const trailersBefore = this.trailers.length;
    try {
      const result = await fn();
      await control(this.conn, `release savepoint ${name}`);
      return result;
    } catch (error) {
      await control(this.conn, `rollback to savepoint ${name}`);
      // Rolled back to the savepoint: the transaction is usable again, and what the nested
      // block meant to audit did not happen.
      this.failure = failureBefore;
      this.trailers.length = trailersBefore;
      throw error;
    }
  }

  async commit(): Promise<void> {
    this.finished = true;
    let result: unknown;
    if (!this.started) {
      if (this.trailers.length === 0) return;
      // Only deferred statements: they are the whole transaction, still one round trip.
      this.started = true;
      const sent = await settle([
        begin(this.conn, this.readOnly),
        this.setTenant(),
        ...this.trailers.map((t) => statement(this.conn, t.sql, t.params, 'execute')),
        control(this.conn, 'commit'),
      ]);
      result = sent.at(-1);
    } else if (this.trailers.length > 0) {
      const trailers = this.trailers.map((t) =>
        statement(this.conn, t.sql, t.params, 'execute').catch((error: unknown) => {
          this.failure ??= error;
          throw error;
        }),
      );
      const sent = await Promise.allSettled([...trailers, control(this.conn, 'commit')]);
      const last = sent.at(-1)!;
      if (last.status === 'rejected') throw last.reason;
      result = last.value;
    } else {
      result = await control(this.conn, 'commit');
    }
    if (this.failure !== undefined || (result as { command?: string }).command === 'ROLLBACK') {
      throw new TenantTransactionError(
        'The transaction was rolled back because a statement in it failed (the error was caught inside transaction(fn)); nothing was committed.',
        { cause: this.failure },
      );
    }
  }

  async rollback(): Promise<void> {
    this.finished = true;
    if (!this.started) return;
    await control(this.conn, 'rollback');
  }
}

export async function runTransaction<T>(
  pool: Sql,
  context: string,
  readOnly: boolean,
  fn: (tx: ScopedTransaction) => Promise<T>,
): Promise<T> {
  const citus = await isCitusPool(pool);
  const conn = await pool.reserve();
  const tx = new ScopedTransaction(conn, context, readOnly, citus);
  try {
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      await tx.rollback().catch(() => {});
      throw error;
    }
    await tx.commit();
    return result;
  } finally {
    conn.release();
  }
}
