import type { Database } from '../database';
import { TenancyError } from '../errors';
import { isUuid } from '../ids';
import { bearerFrom } from '../resolver/api-token';
import type { TenantDb, TenantInfo } from '../scoped/tenant-db';

/** Headers the proxy sets after resolving; any client-sent `x-tenant-*` header is dropped first. */
export const FORWARDED_TENANT_ID = 'x-tenant-id';
export const FORWARDED_TENANT_SOURCE = 'x-tenant-source';

export type TenantRole = 'owner' | 'admin' | 'member';

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
  /** The scoped client of this tenant. */
  db: TenantDb;
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
export function createRequestContext(deps: { db: Database; identity: IdentityProvider }) {
  const { db, identity } = deps;

  async function tenantFrom(headers: Headers): Promise<TenantInfo> {
    const id = headers.get(FORWARDED_TENANT_ID);
    if (!id) {
      throw new TenantRequestError('TENANT_REQUIRED', 404, 'This page belongs to a tenant, and the request names none.');
    }
    const tenant = isUuid(id) ? await db.tenants.byId(id) : null;
    if (!tenant) throw new TenantRequestError('TENANT_NOT_FOUND', 404, 'No such tenant.');
    if (tenant.status === 'suspended') {
      throw new TenantRequestError('TENANT_SUSPENDED', 403, `${tenant.name} is suspended${tenant.statusReason ? `: ${tenant.statusReason}` : ''}.`);
    }
    return tenant;
  }

  return {
    /** The resolved tenant without any access check: for public pages (sign-in, branding). */
    tenant: tenantFrom,

    async context(headers: Headers): Promise<TenantContext> {
      const tenant = await tenantFrom(headers);
      const bearer = bearerFrom(headers);
      if (bearer !== null) {
        const grant = await identity.apiToken(bearer);
        if (!grant) throw new TenantRequestError('API_TOKEN_INVALID', 401, 'The API token is invalid or has been revoked.');
        if (grant.tenantId !== tenant.id) {
          throw new TenantRequestError('API_TOKEN_WRONG_TENANT', 403, `This API token belongs to another tenant than ${tenant.slug}.`);
        }
        return { tenant, session: null, membership: null, apiToken: grant, db: await db.tenant(tenant.id, { actor: { userId: null, apiTokenId: grant.tokenId } }) };
      }
      const session = await identity.session(headers);
      if (!session) throw new TenantRequestError('AUTH_REQUIRED', 401, 'Sign in to continue.');
      // The data-layer check: platform admins get no pass (C7).
      const membership = await identity.membership(session.userId, tenant.id);
      if (!membership) throw new TenantRequestError('NOT_A_MEMBER', 403, `You are not a member of ${tenant.name}.`);
      return { tenant, session, membership, apiToken: null, db: await db.tenant(tenant.id, { actor: { userId: session.userId } }) };
    },
  };
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
