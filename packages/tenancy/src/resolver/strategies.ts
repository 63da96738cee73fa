import { DEFAULT_RESERVED_SLUGS } from './parse';

/**
 * Where a request may name its tenant. An app lists its strategies once, in order of
 * precedence (apps/<app>/src/product.ts); `resolveTenant` reads them all.
 *
 * - subdomain: `acme.<baseDomain>`; the bare base domain names no tenant.
 * - path: `/t/acme/...`.
 * - header: a header the client sends on purpose (`x-tenant-slug: acme`), for API clients.
 * - token: the tenant claim of an API token (`Authorization: Bearer stk_<tenant>_...`).
 * - session: the signed-in user's active tenant. Consulted only when no other source names a
 *   tenant, and never trusted alone: membership is checked on every request.
 */
export type TenantStrategy =
  | { kind: 'subdomain'; baseDomain: string; reserved: readonly string[] }
  | { kind: 'path'; prefix: string; reserved: readonly string[] }
  | { kind: 'header'; header: string; reserved: readonly string[] }
  | { kind: 'token' }
  | { kind: 'session' };

export function subdomain(options: { baseDomain: string; reserved?: readonly string[] }): TenantStrategy {
  const baseDomain = options.baseDomain.trim().toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(baseDomain)) {
    throw new TypeError(`subdomain(): baseDomain ${JSON.stringify(options.baseDomain)} is not a host name (e.g. 'localhost', 'studio.test')`);
  }
  return { kind: 'subdomain', baseDomain, reserved: options.reserved ?? DEFAULT_RESERVED_SLUGS };
}

export function pathPrefix(options: { prefix?: string; reserved?: readonly string[] } = {}): TenantStrategy {
  const prefix = options.prefix ?? '/t';
  if (!/^(\/[a-z0-9-]+)+$/.test(prefix)) {
    throw new TypeError(`pathPrefix(): prefix ${JSON.stringify(prefix)} must look like '/t' (lowercase, no trailing slash)`);
  }
  return { kind: 'path', prefix, reserved: options.reserved ?? DEFAULT_RESERVED_SLUGS };
}

export function header(options: { header?: string; reserved?: readonly string[] } = {}): TenantStrategy {
  const name = (options.header ?? 'x-tenant-slug').toLowerCase();
  return { kind: 'header', header: name, reserved: options.reserved ?? DEFAULT_RESERVED_SLUGS };
}

export function bearerToken(): TenantStrategy {
  return { kind: 'token' };
}

export function session(): TenantStrategy {
  return { kind: 'session' };
}
