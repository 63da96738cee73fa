/**
 * Every error the tenancy layer raises. Each has a stable `code` (for logs, HTTP mapping and
 * tests) and a message that says what to do about it.
 */
const TENANCY_ERROR = Symbol.for('@studio/tenancy/TenancyError');

export class TenancyError extends Error {
  readonly code: string;
  readonly [TENANCY_ERROR] = true;

  /**
   * Prefer this to `instanceof` in apps: Next bundles a package once per layer (proxy, server
   * components, route handlers), so an error may come from another copy of the class.
   */
  static is(error: unknown): error is TenancyError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[TENANCY_ERROR] === true;
  }

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A tenant id that is not a UUID: rejected before it reaches a query or a cache key. */
export class InvalidTenantIdError extends TenancyError {
  constructor(readonly tenantId: unknown) {
    super(
      'TENANT_ID_INVALID',
      `Invalid tenant id ${JSON.stringify(tenantId)}: a tenant id is the UUID of a row in \`tenants\`. ` +
        'Resolve the tenant first (slug -> id) instead of passing user input through.',
    );
  }
}

export class TenantNotFoundError extends TenancyError {
  constructor(readonly tenantId: string) {
    super(
      'TENANT_NOT_FOUND',
      `No tenant with id ${tenantId}. It may have been deleted; resolve the tenant again from the request.`,
    );
  }
}

export class TenantSuspendedError extends TenancyError {
  constructor(
    readonly tenantId: string,
    readonly reason: string | null,
  ) {
    super(
      'TENANT_SUSPENDED',
      `Tenant ${tenantId} is suspended${reason ? ` (${reason})` : ''}: its data cannot be read or written. ` +
        'A platform admin can reactivate it from the admin console.',
    );
  }
}

export class TenantReadOnlyError extends TenancyError {
  constructor(
    readonly tenantId: string,
    readonly reason: string | null,
  ) {
    super(
      'TENANT_READ_ONLY',
      `Tenant ${tenantId} is read-only${reason ? ` (${reason})` : ''}: this statement would write. ` +
        'Show the tenant its data without edit actions, or ask a platform admin to reactivate it.',
    );
  }
}

/**
 * Why the query guard refused a statement, stable for tests and logs:
 * - 'unscoped': a tenant table is not filtered on (or written with) the current tenant;
 * - 'relation': a relation outside the tenant tables and the declared platform ones, or a write to a platform table;
 * - 'column': a platform table's column that is not declared readable (also `*` and whole rows);
 * - 'function': a function, operator or cast outside the allow-list;
 * - 'statement': a statement kind or clause the scoped client does not run;
 * - 'parse': the text does not parse.
 */
export type TenantScopeReason = 'unscoped' | 'relation' | 'column' | 'function' | 'statement' | 'join' | 'parse';

const SCOPE_ADVICE: Record<TenantScopeReason, string> = {
  unscoped:
    'Build tenant queries with the scoped client (`db.tenant(id)`), which adds `tenant_id = <current tenant>` ' +
    'for you; in raw `sql`, filter every tenant table with `tenant_id = ${tdb.tenantId}` in an AND position.',
  relation:
    'A product reads and writes its tenant tables, and reads the platform columns declared readable; ' +
    'anything else belongs to the package that owns it (auth, jobs, the admin console).',
  column: 'Name the platform columns you read, qualified, from those declared readable (`platformReadable`).',
  function:
    'Use a built-in that runs no SQL and has no side effect, or add the function to `allowFunctions` in the ' +
    "app's createDatabase config if it runs no SQL and has no side effect.",
  statement: 'The scoped client runs one SELECT, INSERT, UPDATE or DELETE at a time; transactions through `tdb.transaction(fn)`.',
  join:
    'Write a right join as a left join from the other table (`leftJoin` keeps its rows, each side scoped to the tenant), ' +
    'and a full join as two queries; the scoped client refuses them rather than silently turning them into inner joins.',
  parse: 'Fix the SQL.',
};

/**
 * The query guard refused a statement (C4, C15). Nothing was sent to Postgres.
 */
export class TenantScopeError extends TenancyError {
  constructor(
    readonly problem: string,
    readonly statement: string,
    readonly table?: string,
    readonly reason: TenantScopeReason = 'unscoped',
  ) {
    const where = !table ? '' : reason === 'unscoped' ? ` on tenant table "${table}"` : ` on "${table}"`;
    super('TENANT_SCOPE', `Query guard refused a statement${where}: ${problem}.\n${SCOPE_ADVICE[reason]}\n  Statement: ${statement}`);
  }
}

/** The tenant is placed in a database this process has no URL for. */
export class TenantPlacementError extends TenancyError {
  constructor(
    readonly tenantId: string,
    readonly placement: string,
  ) {
    super(
      'TENANT_PLACEMENT_UNKNOWN',
      `Tenant ${tenantId} lives in database "${placement}", but no URL is configured for it. ` +
        `Pass \`placements: { ${JSON.stringify(placement)}: <url> }\` to createDatabase (or set DATABASE_PLACEMENTS).`,
    );
  }
}

/**
 * The connection cannot hold transaction-local tenant context safely (C5): a superuser, a
 * BYPASSRLS role or the tables' owner, or a pooler that drops transaction-local settings.
 * Raised before any tenant statement runs.
 */
export class UnsafeDatabaseRoleError extends TenancyError {
  constructor(message: string) {
    super('DATABASE_ROLE_UNSAFE', message);
  }
}

/** A scoped transaction was used after it finished, or committed after a statement in it failed. */
export class TenantTransactionError extends TenancyError {
  constructor(message: string, options?: ErrorOptions) {
    super('TENANT_TRANSACTION', message, options);
  }
}

/** postgres.js codes for a connection that closed, failed or timed out. */
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** SQLSTATEs of a server shutting down, starting up, or out of connection slots. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

/**
 * True when `error` says the database could not be reached or dropped the connection (a restart,
 * a failover, a killed backend): nothing of the statement committed, and the same request may
 * succeed a moment later. Route handlers answer 503 + Retry-After for it (tenancyErrorResponse).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Libraries wrap the driver's error (drizzle's DrizzleQueryError, Better Auth): follow `cause`.
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  }
  return false;
}
