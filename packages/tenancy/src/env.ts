import { databaseUrls, readDbEnv, rolesFromEnv, tenantContextKey, urlForRole, DatabaseConfigError } from '@studio/db-schema/config';
import { z } from 'zod';

/** Where a product connects: DATABASE_APP_URL, or the app role on DATABASE_URL's database. */
export function appDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const parsed = readDbEnv(env);
  if (parsed.DATABASE_APP_URL) return parsed.DATABASE_APP_URL;
  if (parsed.DATABASE_URL) return databaseUrls(parsed.DATABASE_URL, parsed).app;
  throw new DatabaseConfigError(
    'No database configured: set DATABASE_APP_URL (or DATABASE_URL), or start everything with `pnpm dev`.',
  );
}

function roleUrl(env: Record<string, string | undefined>, role: 'auth' | 'jobs' | 'admin', variable: string, what: string): string {
  const parsed = readDbEnv(env);
  const given = { auth: parsed.DATABASE_AUTH_URL, jobs: parsed.DATABASE_JOBS_URL, admin: parsed.DATABASE_ADMIN_URL }[role];
  if (given) return given;
  if (parsed.DATABASE_URL) return databaseUrls(parsed.DATABASE_URL, parsed)[role];
  throw new DatabaseConfigError(`No ${what} database configured: set ${variable} (or DATABASE_URL), or start everything with \`pnpm dev\`.`);
}

/** Where apps/admin's cross-tenant client connects: DATABASE_ADMIN_URL, or the admin role on DATABASE_URL's database. */
export function adminDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  return roleUrl(env, 'admin', 'DATABASE_ADMIN_URL', 'admin');
}

/**
 * Where the auth library connects (C15): DATABASE_AUTH_URL, or the auth role on DATABASE_URL's
 * database. Sessions, credentials and invitations are that role's; the product role cannot read them.
 */
export function authDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  return roleUrl(env, 'auth', 'DATABASE_AUTH_URL', 'auth');
}

/** Where the job queue connects (C15): DATABASE_JOBS_URL, or the jobs role on DATABASE_URL's database. */
export function jobsDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  return roleUrl(env, 'jobs', 'DATABASE_JOBS_URL', 'jobs');
}

/** TENANT_CONTEXT_KEY, or the dev key outside production (required in production). */
export function tenantContextKeyFromEnv(env: Record<string, string | undefined> = process.env): string {
  return tenantContextKey(readDbEnv(env));
}

const placementsSchema = z.record(z.string(), z.string().regex(/^postgres(ql)?:\/\//, 'each placement is a postgres:// URL of the app role'));
const placementKey = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * DATABASE_PLACEMENTS: the databases tenants may be placed in besides the shared one, as JSON
 * `{"eu-1": "postgres://studio_app:...@eu-db/studio"}`. Unset or empty: none.
 */
export function placementsFromEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const raw = env.DATABASE_PLACEMENTS?.trim();
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new DatabaseConfigError('DATABASE_PLACEMENTS is not JSON: expected {"<placement>": "postgres://..."}.');
  }
  const parsed = placementsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DatabaseConfigError(`DATABASE_PLACEMENTS: ${issue.path.join('.') || 'value'}: ${issue.message}.`);
  }
  const badKey = Object.keys(parsed.data).find((key) => !placementKey.test(key));
  if (badKey !== undefined) {
    throw new DatabaseConfigError(`DATABASE_PLACEMENTS: ${JSON.stringify(badKey)}: placement keys are lower-case letters, digits, - and _.`);
  }
  if ('shared' in parsed.data) throw new DatabaseConfigError('DATABASE_PLACEMENTS may not redefine "shared": that is DATABASE_URL.');
  return parsed.data;
}

/**
 * Where the lifecycle commands (import, move, erase) connect: each database's app role, and its
 * owner (DB_OWNER_ROLE / DB_OWNER_PASSWORD on the same server) for writes that FORCE RLS still
 * binds to one tenant.
 */
export function lifecycleTargets(env: Record<string, string | undefined> = process.env): Record<string, { app: string; owner: string }> & { shared: { app: string; owner: string } } {
  const parsed = readDbEnv(env);
  const roles = rolesFromEnv(parsed);
  const app = appDatabaseUrl(env);
  const shared = { app, owner: parsed.DATABASE_URL ? databaseUrls(parsed.DATABASE_URL, parsed).owner : urlForRole(app, roles.owner) };
  const placements = Object.fromEntries(Object.entries(placementsFromEnv(env)).map(([key, url]) => [key, { app: url, owner: urlForRole(url, roles.owner) }]));
  return { ...placements, shared };
}

/**
 * DATABASE_POOLER: 'transaction' when DATABASE_APP_URL (and the placements) point at a
 * transaction-mode pooler such as PgBouncer; unset, empty, 'none' or 'session' otherwise.
 */
export function poolerFromEnv(env: Record<string, string | undefined> = process.env): 'none' | 'transaction' {
  const value = (env.DATABASE_POOLER ?? '').trim().toLowerCase();
  if (value === '' || value === 'none' || value === 'session') return 'none';
  if (value === 'transaction') return 'transaction';
  throw new DatabaseConfigError(`DATABASE_POOLER=${JSON.stringify(env.DATABASE_POOLER)}: expected 'transaction' (PgBouncer pool_mode=transaction), 'session' or 'none'.`);
}

/**
 * STUDIO_TRUSTED_PROXIES: how many reverse proxies in front of the app append to X-Forwarded-For
 * (0, the default: none, the app is reached directly). Per-client limits (sign-in) key on the
 * address that many places from the right, the one the outermost of our proxies saw.
 */
export function trustedProxiesFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = (env.STUDIO_TRUSTED_PROXIES ?? '').trim();
  if (raw === '') return 0;
  if (!/^\d$/.test(raw)) throw new Error(`STUDIO_TRUSTED_PROXIES=${JSON.stringify(raw)}: expected the number of proxies in front of the app, 0 to 9.`);
  return Number(raw);
}

/**
 * REDIS_URL: the Redis that an app's quotas, tenant cache and sign-in limits share between its processes
 * (`redis://` or `rediss://`); unset or empty: all stay in each process.
 */
export function redisUrlFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return undefined;
  if (!/^rediss?:\/\/[^/]/.test(raw) || !URL.canParse(raw)) throw new Error(`REDIS_URL=${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//***@'))}: expected redis://[user:password@]host:port[/db] (or rediss:// for TLS).`);
  return raw;
}
