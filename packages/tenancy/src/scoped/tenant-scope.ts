import type { RegisteredContexts } from '@studio/db-schema/tenant-context';
import { TenantReadOnlyError } from '../errors';
import type { QueryGuard } from '../guard/query-guard';
import type { AuditActor } from './audit-event';
import { runScoped, runTransaction, type Method, type ScopedTransaction, type Trailer } from './executor';
import type { AuditSealer } from './sealer';
import type { EnforcementMode, TenantDbHooks, TenantInfo } from './tenant-db';
import type { ScopedPool } from './wire';

/** What db.tenant(id) fixes for a client; tdb.audited(e) and its transactions share it. */
export interface TenantScopeInit {
  tenant: TenantInfo;
  mode: EnforcementMode;
  guard: QueryGuard;
  actor: AuditActor;
  /** Refuse writes: the tenant is read_only, or db.tenant(id, { readOnly: true }). */
  readOnly: boolean;
  /** The placement's request or background pool. */
  pool: ScopedPool;
  contexts: RegisteredContexts;
  /** Seals the tenant's audit chain after an audit row commits, on the placement's background pool. */
  sealer: AuditSealer;
  sealPool: ScopedPool;
}

/**
 * One tenant's state behind a scoped client: the tenant, its enforcement, who acts, whether
 * writes are refused, where statements go and the audit rows that ride with them. A client
 * reads everything from its scope; audit() and meter() reach it through hooksOf(tdb).
 */
export class TenantScope implements TenantDbHooks {
  readonly tenant: TenantInfo;
  readonly mode: EnforcementMode;
  readonly guard: QueryGuard;
  readonly actor: AuditActor;
  readonly readOnly: boolean;
  /** Sent with each statement, in its transaction (the audit rows of tdb.audited(e)). */
  readonly trailers: readonly Trailer[];
  // Private (#): a client's scope is reachable (hooksOf); the raw pools must not be.
  readonly #init: TenantScopeInit;

  constructor(init: TenantScopeInit, trailers: readonly Trailer[] = []) {
    this.tenant = init.tenant;
    this.mode = init.mode;
    this.guard = init.guard;
    this.actor = init.actor;
    this.readOnly = init.readOnly;
    this.trailers = trailers;
    this.#init = init;
  }

  /** Before anything is sent: the guard (C4), then the tenant's status. */
  check(sql: string, params: readonly unknown[]): void {
    const verdict = this.guard.check(sql, params, this.tenant.id);
    if (this.readOnly && verdict.writes) throw new TenantReadOnlyError(this.tenant.id, this.tenant.statusReason);
  }

  /** One statement and the trailers, in one round trip with no held connection. */
  async run(sql: string, params: readonly unknown[], method: Method): Promise<unknown> {
    this.check(sql, params);
    const init = this.#init;
    const rows = await runScoped(init.pool, await init.contexts.context(this.tenant.id), this.readOnly, sql, params, method, this.trailers);
    if (this.trailers.length > 0) this.audited();
    return rows;
  }

  /** An audit row committed: seal the tenant's chain soon, off the request's path. */
  audited(): void {
    this.#init.sealer.schedule(this.tenant.id, this.#init.sealPool);
  }

  /** This scope, with `trailer` sent with each of its statements. */
  withTrailer(trailer: Trailer): TenantScope {
    return new TenantScope(this.#init, [...this.trailers, trailer]);
  }

  async transaction<T>(fn: (tx: TenantDbHooks) => Promise<T>): Promise<T> {
    const init = this.#init;
    const seal = { due: this.trailers.length > 0 };
    const result = await runTransaction(init.pool, await init.contexts.context(this.tenant.id), this.readOnly, (stx) => {
      for (const trailer of this.trailers) stx.defer(trailer);
      return fn(new TransactionScope(this, stx, seal, []));
    });
    if (seal.due) this.audited();
    return result;
  }
}

/** A transaction open in a TenantScope: statements go on its held connection, trailers with its COMMIT. */
class TransactionScope implements TenantDbHooks {
  readonly tenant: TenantInfo;
  readonly mode: EnforcementMode;
  readonly guard: QueryGuard;
  readonly actor: AuditActor;
  readonly readOnly: boolean;
  readonly #scope: TenantScope;
  readonly #stx: ScopedTransaction;
  /** Shared by the transaction's scopes: an audit row rides with the COMMIT, so seal after it. */
  readonly #seal: { due: boolean };
  readonly #trailers: readonly Trailer[];

  constructor(scope: TenantScope, stx: ScopedTransaction, seal: { due: boolean }, trailers: readonly Trailer[]) {
    this.tenant = scope.tenant;
    this.mode = scope.mode;
    this.guard = scope.guard;
    this.actor = scope.actor;
    this.readOnly = scope.readOnly;
    this.#scope = scope;
    this.#stx = stx;
    this.#seal = seal;
    this.#trailers = trailers;
  }

  async run(sql: string, params: readonly unknown[], method: Method): Promise<unknown> {
    this.#scope.check(sql, params);
    const rows = await this.#stx.run(sql, params, method);
    for (const trailer of this.#trailers) this.defer(trailer);
    return rows;
  }

  /** Sends `trailer` with the COMMIT (a usage counter rides there too, and needs no seal). */
  defer(trailer: Trailer): void {
    if (trailer.audit) this.#seal.due = true;
    this.#stx.defer(trailer);
  }

  withTrailer(trailer: Trailer): TransactionScope {
    return new TransactionScope(this.#scope, this.#stx, this.#seal, [...this.#trailers, trailer]);
  }

  /** A nested transaction: a savepoint. */
  transaction<T>(fn: (tx: TenantDbHooks) => Promise<T>): Promise<T> {
    return this.#stx.nested(() => fn(this));
  }
}
