/**
 * Next.js 16 glue (`@studio/tenancy/next`): the proxy that resolves the tenant once per request,
 * and `getTenantContext(need)` for pages and server actions, `route(need, handler)` and
 * `api(need, handler)` for route handlers. Each app calls `createTenancy` once, in src/tenancy.ts,
 * with its ordered strategies and its permission table (src/permissions.ts).
 */
import { headers } from 'next/headers';
import { NextResponse, type NextRequest } from 'next/server';
import type { Database } from './database';
import { isDatabaseUnavailable, TenancyError } from './errors';
import { isQuotaExceeded, quotaExceededResponse } from './quotas';
import {
  createRequestContext,
  FORWARDED_TENANT_ID,
  FORWARDED_TENANT_SOURCE,
  TenantRequestError,
  withoutTenantHeaders,
  type IdentityProvider,
  type TenantContext,
} from './request/context';
import type { Need, Permission, PermissionTable } from './request/permissions';
import { unsafeRequest, type RequestGuardOptions } from './request/request-guard';
import { resolveTenant } from './resolver/resolve';
import type { TenantStrategy } from './resolver/strategies';
import type { TenantInfo } from './scoped/tenant-db';

export interface TenancyConfig<P extends Permission = Permission> {
  db: Database;
  identity: IdentityProvider;
  /** In order of precedence; every source that names a tenant must agree. */
  strategies: readonly TenantStrategy[];
  /** The product's role -> permissions table (C14); every declared need must be in it. */
  permissions?: PermissionTable<P>;
}

const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unavailable for a moment (restarting, or the connection dropped); nothing was saved. Retry in a few seconds.';

/** The operator's side of a 503: what the driver said, one line. */
function logUnavailable(error: unknown): void {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  console.warn(`${new Date().toISOString()} [tenancy] 503 database unavailable: ${e.code ?? e.cause?.code ?? '?'} ${e.message ?? ''}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The refusal as JSON for API clients, as a small page for browsers. */
export function refusal(failure: { status: number; code: string; message: string }, request: Request): NextResponse {
  const body = { error: { code: failure.code, message: failure.message } };
  if (!(request.headers.get('accept') ?? '').includes('text/html')) return NextResponse.json(body, { status: failure.status });
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${failure.status}</title></head>` +
    `<body style="font-family:system-ui;max-width:40rem;margin:4rem auto"><h1>${failure.status}</h1>` +
    `<p>${escapeHtml(failure.message)}</p><p><small>${escapeHtml(failure.code)}</small></p></body></html>`;
  return new NextResponse(html, { status: failure.status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * The answer a route handler gives for an error of the tenancy layer, or null for any other
 * error: refusals with their status, an exhausted quota as 429 + Retry-After (C12), a read-only
 * tenant's write (being moved, or set so by an admin) as 503 + Retry-After, and a database that
 * dropped the connection or cannot be reached (restart, failover) as 503 + Retry-After: a retry
 * a moment later is safe, since nothing of the failed statement committed. Errors are told apart
 * by their `code` (any copy of this package), and with the `request`, a browser following a link
 * (a PDF refused by its quota) gets a page that says so in words instead of raw JSON.
 */
export function tenancyErrorResponse(error: unknown, request?: Request): Response | null {
  let failure: { status: number; code: string; message: string } | null = null;
  let retryAfter: string | undefined;
  if (TenantRequestError.is(error)) failure = error;
  else if (isQuotaExceeded(error)) {
    if (!request) return quotaExceededResponse(error);
    failure = error;
    retryAfter = String(error.retryAfterSeconds);
  } else if (TenancyError.is(error) && error.code === 'TENANT_READ_ONLY') {
    failure = { status: 503, code: error.code, message: error.message };
    retryAfter = '30';
  } else if (isDatabaseUnavailable(error)) {
    logUnavailable(error);
    failure = { status: 503, code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE };
    retryAfter = '2';
  }
  if (!failure) return null;
  const response = request ? refusal(failure, request) : NextResponse.json({ error: { code: failure.code, message: failure.message } }, { status: failure.status });
  if (retryAfter) response.headers.set('retry-after', retryAfter);
  return response;
}

/**
 * For a proxy.ts without tenants (the admin console): the refusals every proxy gives first
 * (several Host headers: 400; a server action posted from another origin: 403), or null.
 */
export function guardRequest(request: NextRequest, options?: RequestGuardOptions): NextResponse | null {
  const unsafe = unsafeRequest(request, options);
  return unsafe ? refusal(unsafe, request) : null;
}

export function createTenancy<P extends Permission = Permission>(config: TenancyConfig<P>) {
  const { db, identity, strategies, permissions } = config;
  const requestContext = createRequestContext({ db, identity, permissions: permissions as PermissionTable | undefined });

  function handle<Args extends unknown[]>(need: Need<P>, apiTokens: boolean, handler: (ctx: TenantContext, request: Request, ...args: Args) => Promise<Response>) {
    return async (request: Request, ...args: Args): Promise<Response> => {
      try {
        return await handler(await requestContext.context(request.headers, { need, apiTokens }), request, ...args);
      } catch (error) {
        const response = tenancyErrorResponse(error, request);
        if (response) return response;
        throw error;
      }
    };
  }
  const wantsSession = strategies.some((s) => s.kind === 'session');

  /** `export const proxy = tenancy.proxy` in the app's proxy.ts. */
  async function proxy(request: NextRequest): Promise<NextResponse> {
    const unsafe = guardRequest(request);
    if (unsafe) return unsafe;
    let resolution;
    try {
      resolution = await resolveTenant(
        { host: request.headers.get('host') ?? request.nextUrl.host, pathname: request.nextUrl.pathname, headers: request.headers },
        strategies,
        {
          tenants: db.tenants,
          activeTenantId: wantsSession ? async (h) => (await identity.session(h))?.activeTenantId ?? null : undefined,
        },
      );
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logUnavailable(error);
      const response = refusal({ status: 503, code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE }, request);
      response.headers.set('retry-after', '2');
      return response;
    }
    if (!resolution.ok) return refusal(resolution, request);
    const forwarded = withoutTenantHeaders(request.headers);
    if (resolution.tenant) {
      forwarded.set(FORWARDED_TENANT_ID, resolution.tenant.id);
      forwarded.set(FORWARDED_TENANT_SOURCE, resolution.source!);
    }
    return NextResponse.next({ request: { headers: forwarded } });
  }

  return {
    strategies,
    proxy,
    permissions,
    /**
     * `{ tenant, membership, session, permissions, db }` for a page or server action that needs
     * `need`, declared as its first line. Throws TenantRequestError (with an HTTP `status`) when
     * there is no tenant, nobody signed in (401), the caller is not a member or lacks the
     * permission (403), or the request carries an API token (403: tokens open the JSON API only).
     */
    async getTenantContext(need: P | 'member'): Promise<TenantContext> {
      return requestContext.context(await headers(), { need });
    },
    /** The resolved tenant without an access check (public pages such as sign-in), or null. */
    async getTenant(): Promise<TenantInfo | null> {
      const h = await headers();
      if (!h.get(FORWARDED_TENANT_ID)) return null;
      return requestContext.tenant(h);
    },
    /** The signed-in user, tenant or not. */
    async getSession() {
      return identity.session(await headers());
    },
    /**
     * A route handler for signed-in members that needs `need`; refusals become JSON errors with
     * their status. An API token is refused (403): use `api()` for the JSON API.
     */
    route<Args extends unknown[]>(need: P | 'member', handler: (ctx: TenantContext, request: Request, ...args: Args) => Promise<Response>) {
      return handle(need, false, handler);
    },
    /**
     * A JSON API handler: a signed-in member with `need`, or an API token of this tenant whose
     * scopes include `need` (and whose maker may still make tokens).
     */
    api<Args extends unknown[]>(need: P, handler: (ctx: TenantContext, request: Request, ...args: Args) => Promise<Response>) {
      return handle(need, true, handler);
    },
    requestContext,
  };
}

export type Tenancy<P extends Permission = Permission> = ReturnType<typeof createTenancy<P>>;

export { safeNextPath, type SafeNextPathOptions } from './request/next-path';
export { hardenNodeServer } from './request/node-server';
export { unsafeRequest, type RequestGuardOptions, type RequestRefusal } from './request/request-guard';
