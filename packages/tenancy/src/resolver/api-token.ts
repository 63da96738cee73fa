/**
 * The shape of an API token: `stk_<tenant id, 32 hex>_<secret, 43 base64url chars>`.
 * The tenant id is a claim the resolver can read without a database query; it is proved only
 * when the token's hash is found in that tenant's api_tokens (the auth package does that).
 */
export const API_TOKEN_PREFIX = 'stk_';

const TOKEN = /^stk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ApiTokenParts {
  tenantId: string;
  secret: string;
}

export function formatApiToken(tenantId: string, secret: string): string {
  const hex = tenantId.replaceAll('-', '').toLowerCase();
  const token = `${API_TOKEN_PREFIX}${hex}_${secret}`;
  if (!TOKEN.test(token)) throw new TypeError('formatApiToken: expected a UUID tenant id and a 43-character base64url secret');
  return token;
}

/** The parts of a well-formed token, or null. Says nothing about whether the token is valid. */
export function parseApiToken(value: string): ApiTokenParts | null {
  const match = TOKEN.exec(value);
  if (!match) return null;
  const hex = match[1]!;
  const tenantId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { tenantId, secret: match[2]! };
}

/** The bearer token of an Authorization header, or null when there is none. */
export function bearerFrom(headers: Headers): string | null {
  const value = headers.get('authorization');
  if (!value) return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(value);
  return match ? match[1]! : null;
}
