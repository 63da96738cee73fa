/**
 * How a scoped statement reaches Postgres: one operation with one Sync (wire.ts), the signed
 * tenant setting (`set_config(..., true)`, C15), the statement and its audit rows. Postgres
 * commits it at the Sync, so the setting never outlives its statement; `transaction(fn)` holds a
 * connection. On Citus the setting goes as SET LOCAL inside BEGIN..COMMIT. The postgres.js pools
 * (createPool) serve what is not tenant data. docs/scoped-client.md#the-driver
 */
import postgres, { type Sql } from 'postgres';
import { CITUS_PROPAGATE_SET_COMMANDS, SET_TENANT_CONTEXT_SQL, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { TenantTransactionError } from '../errors';
import { ScopedPool, type OperationResult, type Part, type ScopedConnection } from './wire';

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
export function sessionOptions(settings: SessionSettings | Record<string, string | number>): string {
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

/** The scoped client's pool (pg, pipelined; see wire.ts): same session settings as createPool. */
export function createScopedPool(url: string, max: number, applicationName: string, pooler: Pooler = 'none', settings: SessionSettings = REQUEST_SESSION): ScopedPool {
  const pool = new ScopedPool({
    url,
    max,
    applicationName,
    named: pooler !== 'transaction',
    // PgBouncer refuses startup parameters it does not know: behind it, pin these in its own
    // configuration instead (docs/security.md).
    ...(pooler === 'transaction' ? {} : { options: sessionOptions({ ...settings, ...CITUS_PROPAGATE_SET_COMMANDS }) }),
  });
  workerPins.set(pool, pinsFor(settings));
  return pool;
}

/**
 * On Citus the startup packet pins the coordinator's session only: Citus opens its own connections
 * to the workers, where a role's own defaults apply (`ALTER ROLE current_user SET
 * default_transaction_read_only = on`, which Citus sends on to them, made every write of the
 * product fail there; a 1 ms statement_timeout would fail every statement). So in a Citus block
 * the same settings also go as SET LOCAL, which Citus replays on each worker right after its
 * BEGIN, before any query (so `transaction_read_only = off` is still allowed there).
 */
const workerPins = new WeakMap<ScopedPool, { writable: readonly Part[]; readOnly: readonly Part[] }>();

function pinsFor(settings: SessionSettings): { writable: readonly Part[]; readOnly: readonly Part[] } {
  const quoted = (value: string | number) => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
  const pins = Object.entries(settings)
    // default_transaction_read_only acts at BEGIN, which the worker has passed: transaction_read_only below instead.
    .filter(([name]) => name !== 'default_transaction_read_only')
    .map(([name, value]) => control(`SET LOCAL ${name} = ${quoted(value)}`));
  return { readOnly: pins, writable: [...pins, control('SET LOCAL transaction_read_only = off')] };
}

function pinsOf(pool: ScopedPool, readOnly: boolean): readonly Part[] {
  const pins = workerPins.get(pool) ?? pinsFor(REQUEST_SESSION);
  return readOnly ? pins.readOnly : pins.writable;
}

/** Trailer parameters go as text, typed by the server from the statement. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const control = (text: string): Part => ({ text, values: [] });
const begin = (readOnly: boolean) => control(readOnly ? 'begin read only' : 'begin');
const COMMIT: Part = { text: 'commit', values: [], result: 'object' };

function statement(sql: string, params: readonly unknown[], method: Method): Part {
  // drizzle's proxy driver maps 'all' results from arrays (column order), 'execute' from objects.
  return { text: sql, values: params, result: method === 'all' ? 'array' : 'object' };
}

const trailer = (t: Trailer): Part => ({ text: t.sql, values: t.params.map(asText) });

/** The statement that sets the tenant for the (implicit or explicit) transaction, on plain Postgres. */
function setTenant(context: string, readOnly: boolean): Part {
  return readOnly
    ? { text: `${SET_TENANT}, set_config('transaction_read_only', 'on', true)`, values: [context] }
    : { text: SET_TENANT, values: [context] };
}

/** On Citus: SET LOCAL (reaches the workers), the value checked before it is spliced in. */
const setLocal = (context: string): Part => control(setLocalTenantContextSql(context));

const citusPools = new WeakMap<ScopedPool, Promise<boolean>>();

/** Whether the pool's database has the citus extension: asked once per pool (a failed probe is asked again). */
export function isCitusPool(pool: ScopedPool): Promise<boolean> {
  let known = citusPools.get(pool);
  if (!known) {
    known = pool
      .shared((conn) => conn.run([{ text: "select exists (select 1 from pg_catalog.pg_extension where extname = 'citus') as citus", values: [], result: 'object' }], true))
      .then(async (sent) => ((await sent).rows[0] as { citus?: boolean } | undefined)?.citus === true);
    known.catch(() => citusPools.delete(pool));
    citusPools.set(pool, known);
  }
  return known;
}

/** The first failure in send order, or every result. */
async function settle(operations: readonly Promise<OperationResult>[]): Promise<OperationResult[]> {
  const results = await Promise.allSettled(operations);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((r) => (r as PromiseFulfilledResult<OperationResult>).value);
}

/**
 * On Citus: BEGIN, SET LOCAL, the statement and its trailers with one Sync, then COMMIT with
 * another, written together (one round trip). A failure leaves the block aborted until the
 * COMMIT, which Postgres then answers as ROLLBACK; the caller gets the statement's error.
 */
async function runInBlock(pool: ScopedPool, context: string, readOnly: boolean, sql: string, params: readonly unknown[], method: Method, trailers: readonly Trailer[]) {
  const sent = await pool.shared((conn) => [
    conn.run([begin(readOnly), setLocal(context), ...pinsOf(pool, readOnly), statement(sql, params, method), ...trailers.map(trailer)]),
    conn.run([COMMIT], true),
  ]);
  const [result, committed] = await settle(sent);
  if (committed!.command !== 'COMMIT') throw new TenantTransactionError('The statement was rolled back.');
  return result!.rows;
}

/**
 * One statement, one round trip, no held connection: the setting, the statement and its
 * trailers in one implicit transaction (one Sync). A failing trailer rolls the statement back with it.
 */
export async function runScoped(
  pool: ScopedPool,
  /** The signed tenant context (TenantContextSigner.sign), not a bare tenant id. */
  context: string,
  readOnly: boolean,
  sql: string,
  params: readonly unknown[],
  method: Method,
  trailers: readonly Trailer[] = [],
): Promise<unknown> {
  if (await isCitusPool(pool)) return runInBlock(pool, context, readOnly, sql, params, method, trailers);
  const parts = [setTenant(context, readOnly), statement(sql, params, method), ...trailers.map(trailer)];
  const result = await pool.shared((conn) => conn.run(parts, true));
  return result.rows;
}

/**
 * Several statements under one scoping, on a held connection. BEGIN and the setting go with
 * the first statement (nothing is sent for a transaction that runs none); COMMIT when `fn`
 * resolves, ROLLBACK when it throws, and the caller always gets `fn`'s own error.
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
    private readonly conn: ScopedConnection,
    /** The signed tenant context. */
    private readonly context: string,
    private readonly readOnly: boolean,
    /** Citus: the setting and the session's pins as SET LOCAL, which reach the workers; null elsewhere. */
    private readonly citusPins: readonly Part[] | null = null,
  ) {}

  /** BEGIN and the tenant setting, inside the block (set_config(..., true) or SET LOCAL). */
  private opening(): Part[] {
    return this.citusPins ? [begin(this.readOnly), setLocal(this.context), ...this.citusPins] : [begin(this.readOnly), setTenant(this.context, false)];
  }

  private send(parts: Part[]): Promise<OperationResult> {
    return this.conn.run(parts).catch((error: unknown) => {
      this.failure ??= error;
      throw error;
    });
  }

  async run(sql: string, params: readonly unknown[], method: Method): Promise<unknown> {
    if (this.finished) {
      throw new TenantTransactionError(
        'This scoped transaction has already finished: use the `tx` passed to transaction(fn) only inside fn, and await every statement.',
      );
    }
    const parts = [statement(sql, params, method)];
    if (!this.started) {
      this.started = true;
      parts.unshift(...this.opening());
    }
    return (await this.send(parts)).rows;
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
      await this.conn.run([control(`release savepoint ${name}`)]);
      return result;
    } catch (error) {
      await this.conn.run([control(`rollback to savepoint ${name}`)]);
      // Rolled back to the savepoint: the transaction is usable again, and what the nested
      // block meant to audit did not happen.
      this.failure = failureBefore;
      this.trailers.length = trailersBefore;
      throw error;
    }
  }

  async commit(): Promise<void> {
    this.finished = true;
    if (!this.started && this.trailers.length === 0) return;
    const work: Part[] = [];
    if (!this.started) {
      // Only deferred statements: they are the whole transaction, still one round trip.
      this.started = true;
      work.push(...this.opening());
    }
    work.push(...this.trailers.map(trailer));
    // The trailers, then COMMIT with a Sync of its own: a failed trailer leaves the block
    // aborted, and the COMMIT then ends it as ROLLBACK.
    const sent = await Promise.allSettled([...(work.length > 0 ? [this.send(work)] : []), this.conn.run([COMMIT], true)]);
    const last = sent.at(-1)!;
    if (last.status === 'rejected') throw last.reason;
    if (this.failure !== undefined || last.value.command !== 'COMMIT') {
      throw new TenantTransactionError(
        'The transaction was rolled back because a statement in it failed (the error was caught inside transaction(fn)); nothing was committed.',
        { cause: this.failure },
      );
    }
  }

  async rollback(): Promise<void> {
    this.finished = true;
    if (!this.started) return;
    await this.conn.run([control('rollback')], true);
  }
}

export async function runTransaction<T>(
  pool: ScopedPool,
  context: string,
  readOnly: boolean,
  fn: (tx: ScopedTransaction) => Promise<T>,
): Promise<T> {
  const citus = await isCitusPool(pool);
  const conn = await pool.reserve();
  const tx = new ScopedTransaction(conn, context, readOnly, citus ? pinsOf(pool, readOnly) : null);
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
    pool.release(conn);
  }
}
