import { parseTenantId } from '../ids';
import { InvalidTenantIdError } from '../errors';
import type { TenantInfo } from '../scoped/tenant-db';
import { bearerFrom, parseApiToken } from './api-token';
import { slugFromHost, slugFromPath, parseSlug, type SourceResult } from './parse';
import type { TenantStrategy } from './strategies';

export type TenantSource = TenantStrategy['kind'];

/** What the resolver needs to know about the request: nothing framework-specific. */
export interface ResolveInput {
  /** The Host header (with its port, if any). */
  host: string | null;
  /** The raw, still percent-encoded path. */
  pathname: string;
  headers: Headers;
}

export interface ResolveDeps {
  tenants: { bySlug(slug: string): Promise<TenantInfo | null>; byId(id: string): Promise<TenantInfo | null> };
  /** The signed-in user's active tenant id, for the session strategy. */
  activeTenantId?: (headers: Headers) => Promise<string | null>;
}

export type ResolveFailure = { ok: false; status: 400 | 401 | 403 | 404; code: string; message: string };
export type Resolution = { ok: true; tenant: TenantInfo | null; source: TenantSource | null } | ResolveFailure;

type Claim = { source: TenantSource; slug: string } | { source: TenantSource; id: string };

const describe = (claim: Claim) => ('slug' in claim ? `"${claim.slug}"` : claim.id);

function refuse(status: ResolveFailure['status'], code: string, message: string): ResolveFailure {
  return { ok: false, status, code, message };
}

function fromSource(source: TenantSource, result: SourceResult): Claim | ResolveFailure | null {
  if (!result.ok) return refuse(400, 'TENANT_SLUG_INVALID', result.message);
  return result.slug === null ? null : { source, slug: result.slug };
}

/**
 * Reads every strategy, refuses malformed names before any database query (400), requires all
 * sources that name a tenant to agree (400), then looks the tenant up: unknown 404, suspended
 * 403 with the reason. The session's active tenant is used only when no other source names one.
 */
export async function resolveTenant(input: ResolveInput, strategies: readonly TenantStrategy[], deps: ResolveDeps): Promise<Resolution> {
  const claims: Claim[] = [];
  for (const strategy of strategies) {
    let claim: Claim | ResolveFailure | null = null;
    switch (strategy.kind) {
      case 'subdomain':
        claim = input.host === null ? null : fromSource('subdomain', slugFromHost(input.host, strategy));
        break;
      case 'path':
        claim = fromSource('path', slugFromPath(input.pathname, strategy));
        break;
      case 'header': {
        const value = input.headers.get(strategy.header);
        if (value !== null) {
          const parsed = parseSlug(value, strategy.reserved);
          claim = parsed.ok ? { source: 'header', slug: parsed.slug } : refuse(400, 'TENANT_SLUG_INVALID', parsed.message);
        }
        break;
      }
      case 'token': {
        const token = bearerFrom(input.headers);
        if (token !== null) {
          const parts = parseApiToken(token);
          if (!parts) return refuse(401, 'API_TOKEN_INVALID', 'The bearer token is not an API token of this platform (expected stk_...).');
          claim = { source: 'token', id: parts.tenantId };
        }
        break;
      }
      case 'session':
        break;
    }
    if (claim && 'ok' in claim) return claim;
    if (claim) claims.push(claim);
  }

  if (claims.length === 0) {
    const wantsSession = strategies.some((s) => s.kind === 'session');
    const active = wantsSession && deps.activeTenantId ? await deps.activeTenantId(input.headers) : null;
    if (!active) return { ok: true, tenant: null, source: null };
    claims.push({ source: 'session', id: active });
  }

  // Two sources naming the same kind of thing can be compared before any lookup.
  const first = claims[0]!;
  let tenant: TenantInfo | null = null;
  for (const claim of claims) {
    const found = await lookup(claim, deps);
    if (!found) {
      // A stale session hint names nobody: no tenant rather than an error.
      if (claim.source === 'session') return { ok: true, tenant: null, source: null };
      return refuse(404, 'TENANT_NOT_FOUND', `No tenant ${describe(claim)} here. Check the address.`);
    }
    if (tenant && found.id !== tenant.id) {
      return refuse(
        400,
        'TENANT_SOURCES_DISAGREE',
        `This request names two tenants: ${describe(first)} (${first.source}) and ${describe(claim)} (${claim.source}). ` +
          'Send it to the tenant the credentials belong to.',
      );
    }
    tenant = found;
  }
  if (tenant!.status === 'suspended') {
    return refuse(403, 'TENANT_SUSPENDED', `${tenant!.name} is suspended${tenant!.statusReason ? `: ${tenant!.statusReason}` : ''}.`);
  }
  return { ok: true, tenant, source: first.source };
}

async function lookup(claim: Claim, deps: ResolveDeps): Promise<TenantInfo | null> {
  if ('slug' in claim) return deps.tenants.bySlug(claim.slug);
  try {
    return await deps.tenants.byId(parseTenantId(claim.id));
  } catch (error) {
    if (error instanceof InvalidTenantIdError) return null;
    throw error;
  }
}
