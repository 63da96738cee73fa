/**
 * Validating the tenant a request names, before any database query (C6). A failure carries a
 * problem code and a message for a 400; nothing here throws, and nothing is "fixed up" into
 * another tenant's slug: look-alikes, punycode and ambiguous paths are refused.
 */

/** Names that can never be a tenant: they are the platform's own hosts and paths. */
export const DEFAULT_RESERVED_SLUGS: readonly string[] = ['www', 'app', 'api', 'admin'];

export type SlugProblem =
  | 'empty'
  | 'too_short'
  | 'too_long'
  | 'invalid_characters'
  | 'uppercase'
  | 'hyphen_edge'
  | 'punycode'
  | 'reserved'
  | 'path_traversal'
  | 'nested_subdomain'
  | 'trailing_dot'
  | 'bad_port'
  | 'bad_host';

export type SlugResult = { ok: true; slug: string } | { ok: false; problem: SlugProblem; message: string };
/** ok with slug null: this source names no tenant (not an error). */
export type SourceResult = { ok: true; slug: string | null } | { ok: false; problem: SlugProblem; message: string };

const RULE = 'use 3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen';

/** The input, quoted and cut short, safe to put in a message. */
function quote(input: string): string {
  return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
}

function fail(problem: SlugProblem, message: string): { ok: false; problem: SlugProblem; message: string } {
  return { ok: false, problem, message };
}

/** A tenant slug: `[a-z0-9-]`, 3 to 63 characters, no hyphen at either end, no `xx--`, not reserved. */
export function parseSlug(input: string, reserved: readonly string[] = DEFAULT_RESERVED_SLUGS): SlugResult {
  if (input.length === 0) return fail('empty', `The tenant name is empty: ${RULE}.`);
  if (input.length > 63) return fail('too_long', `Tenant ${quote(input)} is too long: ${RULE}.`);
  if (!/^[A-Za-z0-9-]+$/.test(input)) return fail('invalid_characters', `Tenant ${quote(input)} has characters a tenant name cannot have: ${RULE}.`);
  if (/[A-Z]/.test(input)) return fail('uppercase', `Tenant ${quote(input)} has uppercase letters: ${RULE}.`);
  if (input.length < 3) return fail('too_short', `Tenant ${quote(input)} is too short: ${RULE}.`);
  if (input.startsWith('-') || input.endsWith('-')) return fail('hyphen_edge', `Tenant ${quote(input)} starts or ends with a hyphen: ${RULE}.`);
  // IDNA reserves hyphens in the 3rd and 4th places (xn-- is punycode for a unicode name).
  if (input.slice(2, 4) === '--') return fail('punycode', `Tenant ${quote(input)} looks like an encoded international name; those are not allowed.`);
  if (reserved.includes(input)) return fail('reserved', `${quote(input)} is reserved for the platform and is not a tenant.`);
  return { ok: true, slug: input };
}

/**
 * The tenant of a Host header under `baseDomain` (`acme.localhost:3001` -> acme). Host names are
 * case-insensitive (RFC 4343), so the host is lowercased; a trailing dot is refused because
 * `acme.example.com.` is a different origin for cookies. A host that is the base domain itself,
 * or not under it (an IP address), names no tenant.
 */
export function slugFromHost(host: string, options: { baseDomain: string; reserved?: readonly string[] }): SourceResult {
  if (host.length === 0) return fail('bad_host', 'The request has no host.');
  if (host.length > 300) return fail('bad_host', `Host ${quote(host)} is too long.`);
  if (host.startsWith('[')) {
    // An IPv6 literal, optionally with a port: never a tenant host.
    return /^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? { ok: true, slug: null } : fail('bad_host', `Host ${quote(host)} is malformed.`);
  }
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) return fail('invalid_characters', `Host ${quote(host)} has characters a host name cannot have.`);
  let name = host.toLowerCase();
  const colon = name.indexOf(':');
  if (colon !== -1) {
    const port = name.slice(colon + 1);
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return fail('bad_port', `Host ${quote(host)} has an invalid port.`);
    name = name.slice(0, colon);
  }
  if (name.endsWith('.')) return fail('trailing_dot', `Host ${quote(host)} ends with a dot; use the name without it.`);
  if (name.length === 0 || name.split('.').some((label) => label.length === 0)) return fail('bad_host', `Host ${quote(host)} is malformed.`);
  const base = options.baseDomain.toLowerCase();
  if (name === base || !name.endsWith(`.${base}`)) return { ok: true, slug: null };
  const label = name.slice(0, -(base.length + 1));
  if (label.includes('.')) return fail('nested_subdomain', `Host ${quote(host)} has more than one name before ${base}; use <tenant>.${base}.`);
  return parseSlug(label, options.reserved);
}

/**
 * The tenant of a path prefix (`/t/acme/invoices` -> acme, rest `/invoices`). The path is the
 * raw, percent-encoded one; encoded characters and dot segments in the tenant segment are
 * refused rather than decoded.
 */
export function slugFromPath(
  pathname: string,
  options: { prefix?: string; reserved?: readonly string[] } = {},
): SourceResult & { rest?: string } {
  const prefix = options.prefix ?? '/t';
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return { ok: true, slug: null, rest: pathname };
  const after = pathname.slice(prefix.length + 1);
  const end = after.indexOf('/');
  const segment = end === -1 ? after : after.slice(0, end);
  const rest = end === -1 ? '/' : after.slice(end);
  if (segment.length === 0) return fail('empty', `The path names no tenant after ${prefix}/: ${RULE}.`);
  if (segment === '.' || segment === '..' || segment.includes('\\')) {
    return fail('path_traversal', `The tenant segment ${quote(segment)} tries to leave the tenant's path.`);
  }
  if (segment.includes('%')) {
    let decoded = '';
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return fail('invalid_characters', `The tenant segment ${quote(segment)} is not valid percent-encoding.`);
    }
    if (/[./\\]/.test(decoded)) return fail('path_traversal', `The tenant segment ${quote(segment)} tries to leave the tenant's path.`);
    return fail('invalid_characters', `The tenant segment ${quote(segment)} is percent-encoded: ${RULE}.`);
  }
  const parsed = parseSlug(segment, options.reserved);
  return parsed.ok ? { ok: true, slug: parsed.slug, rest } : parsed;
}
