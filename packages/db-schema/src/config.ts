import { z } from 'zod';
import { DEV_TENANT_CONTEXT_KEY, TENANT_CONTEXT_KEY_MIN, TenantContextSigner } from './tenant-context';

/**
 * Database settings, read from the environment once and validated. Each package exports its
 * env piece; apps compose them.
 *
 * DATABASE_URL         the database, as a user that may migrate it (superuser or the owner role)
 * DATABASE_APP_URL     how products connect (app role); derived from DATABASE_URL when unset
 * DATABASE_ADMIN_URL   how apps/admin connects (admin role); derived likewise
 * DATABASE_AUTH_URL    how the auth library connects (auth role); derived likewise
 * DATABASE_JOBS_URL    how the job queue connects (jobs role); derived likewise
 * DB_{OWNER,APP,AUTH,JOBS,ADMIN}_ROLE / _PASSWORD   role names and passwords
 * TENANT_CONTEXT_KEY   signs the tenant context RLS trusts (C15); required in production
 */
const identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase Postgres identifier (a-z, 0-9, _)');

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'must be a postgres:// URL');

export const dbEnvSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_APP_URL: postgresUrl.optional(),
  DATABASE_ADMIN_URL: postgresUrl.optional(),
  DATABASE_AUTH_URL: postgresUrl.optional(),
  DATABASE_JOBS_URL: postgresUrl.optional(),
  DB_OWNER_ROLE: identifier.default('studio_owner'),
  DB_APP_ROLE: identifier.default('studio_app'),
  DB_AUTH_ROLE: identifier.default('studio_auth'),
  DB_JOBS_ROLE: identifier.default('studio_jobs'),
  DB_ADMIN_ROLE: identifier.default('studio_admin'),
  DB_OWNER_PASSWORD: z.string().min(1).default('studio_owner_dev'),
  DB_APP_PASSWORD: z.string().min(1).default('studio_app_dev'),
  DB_AUTH_PASSWORD: z.string().min(1).default('studio_auth_dev'),
  DB_JOBS_PASSWORD: z.string().min(1).default('studio_jobs_dev'),
  DB_ADMIN_PASSWORD: z.string().min(1).default('studio_admin_dev'),
  TENANT_CONTEXT_KEY: z
    .string()
    .min(TENANT_CONTEXT_KEY_MIN, `must be at least ${TENANT_CONTEXT_KEY_MIN} characters (e.g. openssl rand -base64 48)`)
    .optional(),
  NODE_ENV: z.string().optional(),
});

export type DbEnv = z.infer<typeof dbEnvSchema>;

export interface RoleSpec {
  name: string;
  password: string;
}

/** The roles by job (C5, C11, C15): each can do only what its job needs. */
export interface Roles {
  /** Runs migrations and owns the tables. */
  owner: RoleSpec;
  /** What products connect as: NOSUPERUSER, NOBYPASSRLS, owns nothing; tenant tables and a few declared platform columns. */
  app: RoleSpec;
  /** The auth library's own pool: users, accounts, sessions, verifications, memberships, invitations. */
  auth: RoleSpec;
  /** The job queue's pool: the studio_jobs schema and nothing else. */
  jobs: RoleSpec;
  /** apps/admin only: BYPASSRLS for cross-tenant reads. */
  admin: RoleSpec;
}

export class DatabaseConfigError extends Error {
  readonly code = 'DATABASE_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

export function readDbEnv(env: Record<string, string | undefined> = process.env): DbEnv {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and CI files write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = dbEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new DatabaseConfigError(`Invalid database settings in the environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function rolesFromEnv(env: DbEnv = readDbEnv()): Roles {
  return {
    owner: { name: env.DB_OWNER_ROLE, password: env.DB_OWNER_PASSWORD },
    app: { name: env.DB_APP_ROLE, password: env.DB_APP_PASSWORD },
    auth: { name: env.DB_AUTH_ROLE, password: env.DB_AUTH_PASSWORD },
    jobs: { name: env.DB_JOBS_ROLE, password: env.DB_JOBS_PASSWORD },
    admin: { name: env.DB_ADMIN_ROLE, password: env.DB_ADMIN_PASSWORD },
  };
}

/**
 * TENANT_CONTEXT_KEY, or a fixed dev key outside production. In production an unset key is an
 * error: a default would be a key every reader of this repository knows.
 */
export function tenantContextKey(env: DbEnv = readDbEnv()): string {
  if (env.TENANT_CONTEXT_KEY) return env.TENANT_CONTEXT_KEY;
  if (env.NODE_ENV === 'production') {
    throw new DatabaseConfigError(
      `TENANT_CONTEXT_KEY is required in production (at least ${TENANT_CONTEXT_KEY_MIN} characters, e.g. openssl rand -base64 48): ` +
        'it signs the tenant context that row-level security trusts. Give every app and `pnpm db:migrate` the same value.',
    );
  }
  return DEV_TENANT_CONTEXT_KEY;
}

/** The same server and database as `url`, logged in as `role`. */
export function urlForRole(url: string, role: RoleSpec): string {
  const next = new URL(url);
  next.username = encodeURIComponent(role.name);
  next.password = encodeURIComponent(role.password);
  return next.toString();
}

/** The same server as `url`, another database. */
export function urlForDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new DatabaseConfigError(`The URL ${redactUrl(url)} names no database.`);
  return name;
}

/** A URL fit for logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const next = new URL(url);
    if (next.password) next.password = '***';
    return next.toString();
  } catch {
    return '<invalid url>';
  }
}

export interface DatabaseUrls {
  /** Superuser or owner: migrations. */
  migrate: string;
  owner: string;
  app: string;
  auth: string;
  jobs: string;
  admin: string;
}

/** Every connection URL for one database, from DATABASE_URL and the role settings. */
export function databaseUrls(migrateUrl: string, env: DbEnv = readDbEnv(), roles: Roles = rolesFromEnv(env)): DatabaseUrls {
  return {
    migrate: migrateUrl,
    owner: urlForRole(migrateUrl, roles.owner),
    app: env.DATABASE_APP_URL ?? urlForRole(migrateUrl, roles.app),
    auth: env.DATABASE_AUTH_URL ?? urlForRole(migrateUrl, roles.auth),
    jobs: env.DATABASE_JOBS_URL ?? urlForRole(migrateUrl, roles.jobs),
    admin: env.DATABASE_ADMIN_URL ?? urlForRole(migrateUrl, roles.admin),
  };
}

const signers = new Map<string, TenantContextSigner>();

/**
 * The signed value of `app.tenant_context` for a tenant (C15), under TENANT_CONTEXT_KEY unless a
 * key is given: for tools and tests that set the context on a connection of their own. The
 * scoped client signs with its own signer.
 */
export function tenantContextValue(tenantId: string, key: string = tenantContextKey()): string {
  let signer = signers.get(key);
  if (!signer) {
    signer = new TenantContextSigner(key);
    signers.set(key, signer);
  }
  return signer.sign(tenantId.toLowerCase());
}
