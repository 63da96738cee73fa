/**
 * Where the sign-in page sends the browser afterwards (`?next=`): a path of this site, or the
 * fallback. Browsers read `/\evil.example` (what `?next=/%5Cevil.example` decodes to) as
 * `//evil.example`, strip tabs and newlines from URLs, and run `javascript:`, so the value is
 * judged the way the browser will read it: parsed as a URL against a placeholder origin, it must
 * keep that origin, and what is returned is the parsed (normalised) path, never the raw text.
 */
const BASE = 'http://next-path.invalid';

export interface SafeNextPathOptions {
  /** Where to go when `next` is missing or unsafe (default '/'). */
  fallback?: string;
  /**
   * A path prefix the target must stay inside (a tenant's `/t/acme`): `/t/acme`, `/t/acme/...`
   * and `/t/acme?...` pass; `/t/acme-corp` and `/t/acme/../globex` do not.
   */
  within?: string;
}

/** `next` as a same-site path (pathname, query and hash, normalised), or `fallback`. */
export function safeNextPath(next: unknown, options: SafeNextPathOptions = {}): string {
  const fallback = options.fallback ?? options.within ?? '/';
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  // Only a path: not a scheme (javascript:, data:), not protocol-relative (//, /\, \\).
  if (!next.startsWith('/') || /^\/[/\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Normalising can make a protocol-relative path again (`/./\evil` -> `//evil`).
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return fallback;
  if (options.within !== undefined) {
    const prefix = options.within.replace(/\/+$/, '');
    const inside = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) || (prefix === '' && url.pathname.startsWith('/'));
    if (!inside) return fallback;
  }
  return path;
}
