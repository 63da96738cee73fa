/**
 * Next.js 16 glue (`@studio/tenancy/next`): the proxy that resolves the tenant once per request,
 * and `getTenantContext(need)` for pages and server actions, `route(need, handler)` and
 * `api(need, handler)` for route handlers. Each product app calls `defineProductApp` once, in
 * src/app.ts, with its ordered strategies, its permission table (src/permissions.ts) and its auth.
 */
import { headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';
import { NextResponse, type NextRequest } from 'next/server';
import { createDatabase, type Database, type DatabaseConfig } from './database';
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
  type TenantStanding,
} from './request/context';
import { bearerFrom } from './resolver/api-token';
import { publicAccess, type Need, type Permission, type PermissionTable } from './request/permissions';
import { unsafeRequest, type RequestGuardOptions } from './request/request-guard';
import { hardenNodeServer } from './request/node-server';
import { resolveTenant } from './resolver/resolve';
import type { TenantStrategy } from './resolver/strategies';
import type { EnforcementMode, TenantInfo } from './scoped/tenant-db';

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

/** Better Auth's sign-out on the app's auth route (each app's api/auth/[...all] route; @studio/ui's postAuth). */
const SIGN_OUT_PATH = '/api/auth/sign-out';

/**
 * Signing out of a suspended workspace's page: it ends the caller's own session and reads nothing
 * of the tenant, and without it a member on the suspended page could not leave it.
 */
function signOut(request: NextRequest): boolean {
  return request.method === 'POST' && request.nextUrl.pathname === SIGN_OUT_PATH && bearerFrom(request.headers) === null;
}

/**
 * A browser opening a page (GET or HEAD of a document, or the router's fetch of one), without an
 * API token: for a suspended tenant it goes on to the page, which answers 403 with the app's own
 * "suspended" page (pageContext -> forbidden.tsx); everything else is refused here.
 */
function pageNavigation(request: NextRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (bearerFrom(request.headers) !== null) return false;
  return (request.headers.get('accept') ?? '').includes('text/html') || request.headers.get('rsc') === '1';
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
    // The tenant the resolver looked up last: the one a refusal for suspension is about.
    let looked: TenantInfo | null = null;
    const tenants = {
      bySlug: async (slug: string) => (looked = await db.tenants.bySlug(slug)),
      byId: async (id: string) => (looked = await db.tenants.byId(id)),
    };
    try {
      resolution = await resolveTenant(
        { host: request.headers.get('host') ?? request.nextUrl.host, pathname: request.nextUrl.pathname, headers: request.headers },
        strategies,
        {
          tenants,
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
    const forwarded = withoutTenantHeaders(request.headers);
    if (!resolution.ok) {
      const suspended = resolution.code === 'TENANT_SUSPENDED' ? (looked as TenantInfo | null) : null;
      if (!suspended) return refusal(resolution, request);
      // Its page says so, and gives the reason to its members only; anyone else, not even here.
      if (!pageNavigation(request) && !signOut(request)) return refusal({ ...resolution, message: `${suspended.name} is suspended.` }, request);
      forwarded.set(FORWARDED_TENANT_ID, suspended.id);
      forwarded.set(FORWARDED_TENANT_SOURCE, strategies[0]!.kind);
    } else if (resolution.tenant) {
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
      try {
        return await requestContext.tenant(h);
      } catch (error) {
        // A suspended tenant's public pages (sign-in) are its 403 page too (forbidden.tsx).
        if (TenantRequestError.is(error) && error.code === 'TENANT_SUSPENDED') forbidden();
        throw error;
      }
    },
    /**
     * Where the caller stands with the request's tenant (its name, whether it is suspended and,
     * for its members only, why; who is signed in and their membership), for the pages that
     * explain a refusal: forbidden.tsx, not-found.tsx. Null when the request names no tenant.
     */
    async getStanding(): Promise<TenantStanding | null> {
      return requestContext.standing(await headers());
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

/**
 * `defineProductApp`: a product app's whole setup in one call (issue 20 item 3). It returns what
 * each app used to write by hand in src/db.ts, src/auth.ts, src/tenancy.ts, src/proxy.ts,
 * src/page-context.ts and its auth route: one set of pools per server process (kept across hot
 * reloads in dev), the auth instance on the auth role's pool, the tenancy (strategies and
 * permissions), the proxy, `pageContext(need, path)` that sends the signed-out to the sign-in page
 * with the path to come back to, and the auth route handler.
 *
 * The auth library (`@studio/auth`) depends on this package, so it is not imported here: the app
 * passes `auth: (db) => createAuth({ ... })`, built on first use.
 */

/** What the glue needs of an auth instance (`@studio/auth`'s `createAuth` returns more). */
export interface ProductAuth {
  identity: IdentityProvider;
  auth: { handler(request: Request): Promise<Response> };
}

/** The database settings of an app's env.ts (read on first use, not at import). */
export interface ProductDatabaseEnv {
  readonly databaseUrl: string;
  readonly placements?: Record<string, string>;
  readonly pooler?: DatabaseConfig['pooler'];
  readonly tenantContextKey?: DatabaseConfig['contextKey'];
}

export interface ProductAppConfig<P extends Permission, A extends ProductAuth> {
  /** The app's name: `application_name` in pg_stat_activity, and the key of its per-process state. */
  name: string;
  /** 'rls': the query guard and row-level security; 'app': the query guard alone (tables with `rls: false`). */
  mode: EnforcementMode;
  /** The app's env.ts (src/env.ts): its database settings are read when the first pool is made. */
  env: ProductDatabaseEnv;
  /** Where the tenant comes from, in order of precedence (C6); a function when it reads env. */
  strategies: readonly TenantStrategy[] | (() => readonly TenantStrategy[]);
  /** The product's role -> permissions table (C14, src/permissions.ts). */
  permissions: PermissionTable<P>;
  /** The auth instance, on the auth role's own pool (`createAuth({ url: env.authDatabaseUrl, db, ... })`). */
  auth: (db: Database) => A;
  /**
   * Where a tenant's pages live, for the sign-in redirect: `(slug) => '/t/' + slug` when the
   * tenant is in the path. Unset (tenant from the host): the sign-in page is `/sign-in` and the
   * return path is the page's own path.
   */
  tenantBasePath?: (slug: string) => string;
}

export interface ProductApp<P extends Permission, A extends ProductAuth> {
  getDb(): Database;
  getAuth(): A;
  getTenancy(): Tenancy<P>;
  /** For src/proxy.ts: resolves the tenant once per request and strips client-sent x-tenant-* headers (C6). */
  proxy(request: NextRequest): ReturnType<Tenancy<P>['proxy']>;
  /**
   * The first line of every page and server action: what it needs (a permission, or 'member'),
   * and the path to come back to after signing in (relative to the tenant's base path when the
   * tenant is in the path). Refuses before any query: nobody signed in goes to the sign-in page
   * with `?next=`; anyone who is not a member of this tenant gets a 404, which does not even
   * confirm what this tenant holds; a member without the permission, or a request carrying an
   * API token (tokens open the JSON API only), the 403 page.
   */
  pageContext(need: P | 'member', path?: string): Promise<TenantContext>;
  /** Better Auth's endpoints (sign-up, sign-in, sign-out, invitations): `GET` and `POST` of app/api/auth/[...all]/route.ts. */
  authHandler(request: Request): Promise<Response>;
}

interface ProductState {
  db?: Database;
  auth?: ProductAuth;
  tenancy?: Tenancy<Permission>;
}

/** `/t/acme` + '/' is `/t/acme`; + '/lessons' is `/t/acme/lessons`. */
function joinPath(base: string, path: string): string {
  return path === '/' ? base || '/' : `${base}${path}`;
}

export function defineProductApp<P extends Permission, A extends ProductAuth>(config: ProductAppConfig<P, A>): ProductApp<P, A> {
  // One set of pools per server process, kept across hot reloads in dev (the module is re-run, globalThis is not).
  const store = globalThis as unknown as Record<string, ProductState | undefined>;
  const key = `__studioProductApp:${config.name}`;
  const state = (store[key] ??= {});

  function getDb(): Database {
    const { env } = config;
    state.db ??= createDatabase({
      url: env.databaseUrl,
      placements: env.placements,
      pooler: env.pooler,
      contextKey: env.tenantContextKey,
      mode: config.mode,
      applicationName: config.name,
    });
    return state.db;
  }
  function getAuth(): A {
    state.auth ??= config.auth(getDb());
    return state.auth as A;
  }
  function getTenancy(): Tenancy<P> {
    if (!state.tenancy) {
      const strategies = typeof config.strategies === 'function' ? config.strategies() : config.strategies;
      state.tenancy = createTenancy<P>({ db: getDb(), identity: getAuth().identity, strategies, permissions: config.permissions }) as unknown as Tenancy<Permission>;
    }
    return state.tenancy as unknown as Tenancy<P>;
  }

  async function pageContext(need: P | 'member', path = '/'): Promise<TenantContext> {
    try {
      return await getTenancy().getTenantContext(need);
    } catch (error) {
      if (!TenantRequestError.is(error)) throw error;
      if (error.status === 401) {
        if (!config.tenantBasePath) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
        const tenant = await getTenancy().getTenant();
        if (tenant) {
          const base = config.tenantBasePath(tenant.slug);
          redirect(`${joinPath(base, '/sign-in')}?next=${encodeURIComponent(joinPath(base, path))}`);
        }
      }
      if (error.status === 403 && error.code !== 'NOT_A_MEMBER') forbidden();
      notFound();
    }
  }

  return {
    getDb,
    getAuth,
    getTenancy,
    proxy: (request) => getTenancy().proxy(request),
    pageContext,
    authHandler(request) {
      publicAccess('sign-up, sign-in and sign-out: Better Auth checks the session of each endpoint itself');
      return getAuth().auth.handler(request);
    },
  };
}

export { safeNextPath, type SafeNextPathOptions } from './request/next-path';
export { hardenNodeServer };

/** Something that works a queue once started (`getJobs().jobs` of @studio/tenancy/jobs). */
export interface ProductJobs {
  start(): Promise<unknown>;
}

/**
 * A product app's `register()` of src/instrumentation.ts, after its own
 * `if (process.env.NEXT_RUNTIME !== 'nodejs') return;` (the bundler drops the rest for the edge):
 * every variable checked before the first request (a wrong one stops the server, named), then
 * what Node hides from the proxy (hardenNodeServer), then the app's job workers if it has any
 * (`jobs` answers null when this process works none): a database that is down at boot delays the
 * workers, it does not stop them, they are tried again every 30 s.
 */
export async function registerProductServer(options: {
  /** The app's name, for the message of a server that does not start. */
  name: string;
  validateEnv: (options: { start: boolean }) => void;
  jobs?: () => Promise<ProductJobs | null> | ProductJobs | null;
  /** Tests: what stops the process (process.exit by default). */
  exit?: (code: number) => never;
}): Promise<void> {
  try {
    options.validateEnv({ start: true });
  } catch (error) {
    console.error(`The ${options.name} server does not start: ${error instanceof Error ? error.message : String(error)}`);
    (options.exit ?? process.exit)(1);
    return;
  }
  // What Node hides from the proxy: a second Host header (refused), the socket's peer address (per-client limits).
  await hardenNodeServer();
  const { jobs } = options;
  if (!jobs) return;
  const start = (): void => {
    Promise.resolve()
      .then(async () => (await jobs())?.start())
      .catch((error: unknown) => {
        console.error(`[jobs] workers not started, trying again in 30 s: ${error instanceof Error ? error.message : String(error)}`);
        setTimeout(start, 30_000).unref();
      });
  };
  start();
}
export { unsafeRequest, type RequestGuardOptions, type RequestRefusal } from './request/request-guard';
