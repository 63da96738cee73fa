import type { Database } from '../database';
import { TenancyError, TenantSuspendedError } from '../errors';
import { isUuid } from '../ids';
import { bearerFrom } from '../resolver/api-token';
import type { TenantDb, TenantInfo } from '../scoped/tenant-db';
import { isPermission, type Need, type PermissionTable, type TenantRole } from './permissions';

/** Headers the proxy sets after resolving; any client-sent `x-tenant-*` header is dropped first. */
export const FORWARDED_TENANT_ID = 'x-tenant-id';
export const FORWARDED_TENANT_SOURCE = 'x-tenant-source';

export type { TenantRole };

export interface RequestSession {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  /** Platform staff (C7). Grants nothing inside a product app: membership decides. */
  isPlatformAdmin: boolean;
  activeTenantId: string | null;
}

export interface Membership {
  tenantId: string;
  userId: string;
  role: TenantRole;
}

export interface ApiTokenGrant {
  tokenId: string;
  tenantId: string;
  name: string;
  /** The permissions chosen when the token was made. */
  scopes: string[];
  /** Who made it; the token works only while this person may still make tokens. Null: nobody left. */
  createdBy: string | null;
}

/** Who is asking. Implemented by `@studio/auth`; tenancy only depends on this shape. */
export interface IdentityProvider {
  session(headers: Headers): Promise<RequestSession | null>;
  membership(userId: string, tenantId: string): Promise<Membership | null>;
  /** The grant of a valid, unrevoked token (its use recorded), or null. */
  apiToken(token: string): Promise<ApiTokenGrant | null>;
}

export interface TenantContext {
  tenant: TenantInfo;
  /** The signed-in user, or null for a request authenticated by an API token. */
  session: RequestSession | null;
  /** The user's membership in this tenant (always present when `session` is). */
  membership: Membership | null;
  apiToken: ApiTokenGrant | null;
  /**
   * What the caller may do here: the member's role's permissions, or a token's scopes that its
   * maker may still grant. Empty when the product declared no permission table.
   */
  permissions: ReadonlySet<string>;
  /** The scoped client of this tenant. */
  db: TenantDb;
}

/** What `standing()` tells a refusal page about the caller and the request's tenant. */
export interface TenantStanding {
  /** The tenant's public face: no private data. */
  tenant: Pick<TenantInfo, 'id' | 'slug' | 'name' | 'status'>;
  /** Who is signed in (null: nobody, or a request carrying an API token). */
  session: RequestSession | null;
  /** The signed-in user's membership of this tenant, or null. */
  membership: Membership | null;
  suspended: boolean;
  /** Why it is suspended: only for its signed-in members (null for anyone else). */
  reason: string | null;
}

const REQUEST_ERROR = Symbol.for('@studio/tenancy/TenantRequestError');

/** A request that cannot be served for this tenant; `status` is the HTTP status to answer. */
export class TenantRequestError extends TenancyError {
  readonly [REQUEST_ERROR] = true;

  constructor(
    code: string,
    readonly status: 400 | 401 | 403 | 404,
    message: string,
  ) {
    super(code, message);
  }

  /**
   * Use this rather than `instanceof`: Next bundles a package once per layer (proxy, server
   * components, route handlers), so an error may come from another copy of this class.
   */
  static override is(error: unknown): error is TenantRequestError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[REQUEST_ERROR] === true;
  }
}

/** Copies headers without any `x-tenant-*`: the client may not speak for the resolver. */
export function withoutTenantHeaders(headers: Headers): Headers {
  const clean = new Headers();
  headers.forEach((value, key) => {
    if (!key.toLowerCase().startsWith('x-tenant-')) clean.append(key, value);
  });
  return clean;
}

/**
 * Builds the request context from the headers the proxy forwarded. It does not trust them:
 * the tenant is looked up again (cached), and the caller must be a member of it (session) or
 * hold a valid token of it, so a request that bypassed the proxy still cannot reach another
 * tenant's data (C6).
 */
export interface AccessRequest {
  /** What the entry point declared it needs (C14); default `'member'`, anyone who belongs here. */
  need?: Need;
  /**
   * True only for the JSON API (`tenancy.api`): a bearer token is accepted. Pages, server actions
   * and other routes refuse any request that carries one, signed-in cookie or not.
   */
  apiTokens?: boolean;
}

/**
 * Builds the request context from the headers the proxy forwarded. It does not trust them:
 * the tenant is looked up again (cached), and the caller must be a member of it (session) or
 * hold a valid token of it, so a request that bypassed the proxy still cannot reach another
 * tenant's data (C6). Then the declared need is checked against the caller's permissions before
 * the scoped client is handed out, so a refusal runs no query of the product (C14).
 */
export function createRequestContext(deps: { db: Database; identity: IdentityProvider; permissions?: PermissionTable }) {
  const { db, identity, permissions: table } = deps;

  async function tenantFrom(headers: Headers): Promise<TenantInfo> {
    const id = headers.get(FORWARDED_TENANT_ID);
    if (!id) {
      throw new TenantRequestError('TENANT_REQUIRED', 404, 'This page belongs to a tenant, and the request names none.');
    }
    const tenant = isUuid(id) ? await db.tenants.byId(id) : null;
    if (!tenant) throw new TenantRequestError('TENANT_NOT_FOUND', 404, 'No such tenant.');
    if (tenant.status === 'suspended') {
      // The reason is for its members only (standing()): a refusal goes to whoever asks.
      throw new TenantRequestError('TENANT_SUSPENDED', 403, `${tenant.name} is suspended.`);
    }
    return tenant;
  }

  /**
   * The scoped client, after the checks. The tenant was read from the directory's cache a moment
   * ago; a suspension that reached the directory since then makes db.tenant() refuse, which is the
   * same refusal as above (a 403 without the reason), not a server error.
   */
  async function scopedClient(tenant: TenantInfo, actor: { userId: string | null; apiTokenId?: string }): Promise<TenantContext['db']> {
    try {
      return await db.tenant(tenant.id, { actor });
    } catch (error) {
      if (error instanceof TenantSuspendedError) throw new TenantRequestError('TENANT_SUSPENDED', 403, `${tenant.name} is suspended.`);
      throw error;
    }
  }

  function checkNeed(need: Need): void {
    if (need === 'platform-admin') throw new TypeError("The need 'platform-admin' is the console's (requirePlatformAdmin), not a tenant's.");
    if (isPermission(need) && !table?.all.includes(need)) {
      throw new TypeError(`The permission '${need}' is not in this product's table (src/permissions.ts): add it to a role, or fix the name.`);
    }
  }

  async function tokenContext(tenant: TenantInfo, bearer: string, need: Need): Promise<TenantContext> {
    const grant = await identity.apiToken(bearer);
    if (!grant) throw new TenantRequestError('API_TOKEN_INVALID', 401, 'The API token is invalid or has been revoked.');
    if (grant.tenantId !== tenant.id) {
      throw new TenantRequestError('API_TOKEN_WRONG_TENANT', 403, `This API token belongs to another tenant than ${tenant.slug}.`);
    }
    // A token is worth what its maker may still do: removed from the tenant, or no longer allowed
    // to make tokens, and it stops working (it is not revoked: restoring the right restores it).
    const maker = grant.createdBy ? await identity.membership(grant.createdBy, tenant.id) : null;
    if (!table?.manageTokens || !maker || !table.has(maker.role, table.manageTokens)) {
      throw new TenantRequestError('API_TOKEN_INVALID', 401, 'The API token is no longer valid: whoever made it may no longer make tokens here. Ask an admin for a new one.');
    }
    const granted = new Set<string>(table.grantable(grant.scopes, maker.role));
    if (!isPermission(need) || !granted.has(need)) {
      throw new TenantRequestError('API_TOKEN_SCOPE', 403, isPermission(need) ? `This API token lacks the scope ${need}.` : 'API tokens open the JSON API only.');
    }
    return { tenant, session: null, membership: null, apiToken: grant, permissions: granted, db: await scopedClient(tenant, { userId: null, apiTokenId: grant.tokenId }) };
  }

  return {
    /** The resolved tenant without any access check: for public pages (sign-in, branding). */
    tenant: tenantFrom,

    /**
     * Where the caller stands with the request's tenant, for the page that explains a refusal
     * (not a member, suspended): never throws a refusal, runs no query of the product. Null when
     * the request names no tenant (or an unknown one). The suspension's reason is given to the
     * tenant's signed-in members only; anyone else learns the tenant's name and status.
     */
    async standing(headers: Headers): Promise<TenantStanding | null> {
      const id = headers.get(FORWARDED_TENANT_ID);
      const tenant = id && isUuid(id) ? await db.tenants.byId(id) : null;
      if (!tenant) return null;
      // A token opens no page: its bearer is nobody here.
      const session = bearerFrom(headers) === null ? await identity.session(headers) : null;
      const membership = session ? await identity.membership(session.userId, tenant.id) : null;
      const suspended = tenant.status === 'suspended';
      return {
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, status: tenant.status },
        session,
        membership,
        suspended,
        reason: suspended && membership ? tenant.statusReason : null,
      };
    },

    async context(headers: Headers, access: AccessRequest = {}): Promise<TenantContext> {
      const need = access.need ?? 'member';
      checkNeed(need);
      const bearer = bearerFrom(headers);
      if (bearer !== null && !access.apiTokens) {
        // A token is not a session (the issue 19 defect): it opens no page and runs no action.
        throw new TenantRequestError('API_TOKEN_NOT_ALLOWED', 403, 'API tokens open the JSON API (/api/v1) only; sign in to use this page.');
      }
      const tenant = await tenantFrom(headers);
      if (bearer !== null) return tokenContext(tenant, bearer, need);
      const session = await identity.session(headers);
      if (!session) throw new TenantRequestError('AUTH_REQUIRED', 401, 'Sign in to continue.');
      // The data-layer check: platform admins get no pass (C7).
      const membership = await identity.membership(session.userId, tenant.id);
      if (!membership) throw new TenantRequestError('NOT_A_MEMBER', 403, `You are not a member of ${tenant.name}.`);
      if (isPermission(need) && !table!.has(membership.role, need)) {
        throw new TenantRequestError('PERMISSION_REQUIRED', 403, `This needs the permission ${need}, which your role (${membership.role}) in ${tenant.name} does not have.`);
      }
      const permissions = table ? table.of(membership.role) : new Set<string>();
      return { tenant, session, membership, apiToken: null, permissions, db: await scopedClient(tenant, { userId: session.userId }) };
    },
  };
}

/** True when the caller of this context holds `permission` (for showing or hiding a button). */
export function can(ctx: Pick<TenantContext, 'permissions'>, permission: string): boolean {
  return ctx.permissions.has(permission);
}

/** Throws a 403 unless the caller holds `permission`: for a second check inside an entry point. */
export function requirePermission(ctx: Pick<TenantContext, 'permissions' | 'tenant'>, permission: string): void {
  if (!ctx.permissions.has(permission)) {
    throw new TenantRequestError('PERMISSION_REQUIRED', 403, `This needs the permission ${permission} in ${ctx.tenant.name}.`);
  }
}

export type RequestContext = ReturnType<typeof createRequestContext>;

const RANK: Record<TenantRole, number> = { member: 1, admin: 2, owner: 3 };

/** True when the membership's role is `role` or above (owner > admin > member). */
export function hasTenantRole(membership: Membership | null, role: TenantRole): boolean {
  return membership !== null && RANK[membership.role] >= RANK[role];
}

/** Throws a 403 unless the signed-in member holds `role` or above. Token requests have no role. */
export function requireTenantRole(ctx: Pick<TenantContext, 'membership' | 'tenant'>, role: TenantRole): Membership {
  if (!hasTenantRole(ctx.membership, role)) {
    throw new TenantRequestError('TENANT_ROLE_REQUIRED', 403, `This needs the ${role} role in ${ctx.tenant.name}.`);
  }
  return ctx.membership!;
}

/** Throws a 403 unless the user is platform staff. Only the admin console uses this. */
export function requirePlatformAdmin(session: RequestSession | null): RequestSession {
  if (!session) throw new TenantRequestError('AUTH_REQUIRED', 401, 'Sign in to continue.');
  if (!session.isPlatformAdmin) throw new TenantRequestError('PLATFORM_ADMIN_REQUIRED', 403, 'This is for platform administrators.');
  return session;
}
