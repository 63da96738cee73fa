import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { apiTokens } from '@studio/db-schema/schema';
import { audit } from '@studio/tenancy/audit';
import { formatApiToken, parseApiToken } from '@studio/tenancy/resolver';
import { isUuid, TenancyError, type Database, type TenantDb } from '@studio/tenancy';
import { type ApiTokenGrant } from '@studio/tenancy/request';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';

/**
 * API tokens for a tenant's JSON APIs. The token is 256 random bits plus the tenant's id; only
 * its SHA-256 is stored (a fast hash is right for random secrets: there is nothing to guess).
 * Every read and write goes through the tenant's scoped client, so RLS and the guard apply.
 */
export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** The whole token. Shown once; it cannot be recovered later. */
  token: string;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  /** What the token may do (permissions of the product's table). */
  scopes: string[];
  /** The user who made it. */
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export class ApiTokenInputError extends TenancyError {
  constructor(message: string) {
    super('API_TOKEN_INPUT', message);
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

const SCOPE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

/**
 * A new token of the tenant, with its scopes, made by `createdBy`. Which scopes the maker may
 * grant is the product's table's to say (`PermissionTable.grantable`); the caller checks that
 * first. The token works only while its maker may still make tokens (checked on every request).
 */
export async function createApiToken(tdb: TenantDb, input: { name: string; createdBy: string; scopes: readonly string[] }): Promise<CreatedApiToken> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new ApiTokenInputError('A token needs a name of 1 to 100 characters.');
  const scopes = [...new Set(input.scopes)].sort();
  if (scopes.length === 0) throw new ApiTokenInputError('A token needs at least one scope, e.g. ["invoices:read"].');
  const bad = scopes.find((s) => !SCOPE.test(s));
  if (bad !== undefined) throw new ApiTokenInputError(`${JSON.stringify(bad)} is not a scope; scopes look like invoices:read.`);
  if (!isUuid(input.createdBy)) throw new ApiTokenInputError('A token is made by a user: createdBy is their id.');
  const secret = randomBytes(32).toString('base64url');
  const token = formatApiToken(tdb.tenantId, secret);
  const prefix = `stk_…${secret.slice(0, 6)}`;
  const id = randomUUID();
  // The token and its audit row commit together (C10).
  await tdb
    .audited({ action: 'api_token.create', target: id, payload: { name, prefix, scopes } })
    .insert(apiTokens)
    .values({ id, name, tokenHash: hash(token), prefix, scopes, createdBy: input.createdBy });
  return { id, name, prefix, scopes, token };
}

export function listApiTokens(tdb: TenantDb): Promise<ApiTokenSummary[]> {
  return tdb
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      createdBy: apiTokens.createdBy,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(desc(apiTokens.createdAt));
}

/** Revokes a token of this tenant; false when there is no such active token. */
export async function revokeApiToken(tdb: TenantDb, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return tdb.transaction(async (tx) => {
    const rows = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (rows.length === 0) return false;
    await audit(tx, { action: 'api_token.revoke', target: id, payload: { name: rows[0]!.name } });
    return true;
  });
}

/** How often a token's use is written: at most once a minute, so a busy token costs no write per request. */
export const LAST_USED_EVERY_SECONDS = 60;

/**
 * The grant of a valid token, recording its use, or null (malformed, unknown, revoked, or its
 * tenant gone or suspended). Whether its maker may still make tokens is the request context's
 * check, against the product's permission table. The lookup runs as the tenant the token names: a forged claim
 * searches that tenant's tokens only, and finds nothing.
 *
 * Every request reads the row (a revoked token stops at once); `last_used_at` is written only
 * when it is older than LAST_USED_EVERY_SECONDS (or unset), and the write's own condition keeps
 * concurrent requests from writing it twice. A read-only tenant's tokens are read, never written.
 */
export async function verifyApiToken(db: Database, token: string): Promise<ApiTokenGrant | null> {
  const parts = parseApiToken(token);
  if (!parts) return null;
  let tdb: TenantDb;
  try {
    tdb = await db.tenant(parts.tenantId);
  } catch (error) {
    if (TenancyError.is(error)) return null;
    throw error;
  }
  const since = sql.raw(`now() - interval '${LAST_USED_EVERY_SECONDS} seconds'`);
  const [row] = await tdb
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      createdBy: apiTokens.createdBy,
      // Computed by the server, whose clock wrote last_used_at: no skew with this process's clock.
      stale: sql<boolean>`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < ${since})`,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  if (row.stale && tdb.tenant.status !== 'read_only') {
    await tdb
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`${since}`)),
        ),
      );
  }
  return { tokenId: row.id, tenantId: tdb.tenantId, name: row.name, scopes: row.scopes, createdBy: row.createdBy };
}
