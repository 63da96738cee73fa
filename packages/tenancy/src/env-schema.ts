/**
 * The tenancy layer's piece of an app's environment schema, in the shape t3-env composes
 * (`@t3-oss/env-core`: a dictionary of Standard Schemas, one per variable). An app spreads it, with
 * the other packages' pieces and its own variables, into one `createEnv({ server: { ... } })`, so
 * one validation at build and at start names every invalid variable at once.
 *
 * The variables' rules are those of ./env's helpers (which the CLI and the tests call with an
 * environment of their own): each schema here runs the helper, and the helper's error is the issue.
 */
import { dbEnvSchema } from '@studio/db-schema/config';
import { DEV_TENANT_CONTEXT_KEY, TENANT_CONTEXT_KEY_MIN } from '@studio/db-schema/tenant-context';
import path from 'node:path';
import { z } from 'zod';
import { adminDatabaseUrl, appDatabaseUrl, authDatabaseUrl, jobsDatabaseUrl, placementsFromEnv, poolerFromEnv, redisUrlFromEnv, trustedProxiesFromEnv } from './env';

type RawEnv = Record<string, string | undefined>;

/** A variable read by one of ./env's helpers: the helper's value, or its error as the issue. */
function helperSchema<T>(name: string, read: (env: RawEnv) => T) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return read({ [name]: value });
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
}

/**
 * Whether the production requirements hold (TENANT_CONTEXT_KEY, BETTER_AUTH_SECRET required):
 * NODE_ENV=production, except while `next build` runs (a build needs no secret; the server it
 * builds refuses to start without them).
 */
export function productionRequirements(env: RawEnv = process.env): boolean {
  return env.NODE_ENV === 'production' && env.NEXT_PHASE !== 'phase-production-build';
}

/**
 * The database, tenant context, placements, pooler, proxies, storage and Redis variables.
 * `production`: TENANT_CONTEXT_KEY is required (productionRequirements()); otherwise it defaults
 * to the dev key.
 */
export function tenancyEnv({ production }: { production: boolean }) {
  const { NODE_ENV: _nodeEnv, TENANT_CONTEXT_KEY: _key, ...database } = dbEnvSchema.shape;
  const key = z
    .string({ error: (issue) => (issue.input === undefined ? `required in production (at least ${TENANT_CONTEXT_KEY_MIN} characters, e.g. openssl rand -base64 48): it signs the tenant context that row-level security trusts; give every app and \`pnpm db:migrate\` the same value` : undefined) })
    .min(TENANT_CONTEXT_KEY_MIN, `must be at least ${TENANT_CONTEXT_KEY_MIN} characters (e.g. openssl rand -base64 48)`);
  return {
    ...database,
    TENANT_CONTEXT_KEY: production ? key : key.optional().transform((value) => value ?? DEV_TENANT_CONTEXT_KEY),
    DATABASE_PLACEMENTS: helperSchema('DATABASE_PLACEMENTS', placementsFromEnv),
    DATABASE_POOLER: helperSchema('DATABASE_POOLER', poolerFromEnv),
    STUDIO_TRUSTED_PROXIES: helperSchema('STUDIO_TRUSTED_PROXIES', trustedProxiesFromEnv),
    STUDIO_STORAGE_DIR: helperSchema('STUDIO_STORAGE_DIR', storageDirFromEnv),
    REDIS_URL: helperSchema('REDIS_URL', redisUrlFromEnv),
  };
}

type Outputs<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.output<T[K]> };
type MaybeUndefined<T> = { [K in keyof T]: undefined extends T[K] ? K : never }[keyof T];
/** What tenancyEnv()'s schemas give, once validated (as createEnv types it: a variable that may be undefined may be absent). */
export type TenancyEnv = Partial<Pick<Outputs<ReturnType<typeof tenancyEnv>>, MaybeUndefined<Outputs<ReturnType<typeof tenancyEnv>>>>> &
  Omit<Outputs<ReturnType<typeof tenancyEnv>>, MaybeUndefined<Outputs<ReturnType<typeof tenancyEnv>>>>;

/** The variables of the database URLs, as the helpers of ./env read them. */
function databaseVariables(vars: TenancyEnv): RawEnv {
  const names = Object.keys(dbEnvSchema.shape).filter((name) => name !== 'NODE_ENV' && name !== 'TENANT_CONTEXT_KEY') as (keyof TenancyEnv)[];
  return Object.fromEntries(names.map((name) => [name, vars[name] as string | undefined]));
}

/**
 * What an app reads from its validated variables: each database URL the app's roles connect
 * with (DATABASE_*_URL, or derived from DATABASE_URL; an error saying what to set when neither is
 * there), the context key, placements, pooler, proxies and storage folder.
 */
export function tenancySettings(vars: TenancyEnv) {
  const database = databaseVariables(vars);
  return {
    get databaseUrl(): string {
      return appDatabaseUrl(database);
    },
    get authDatabaseUrl(): string {
      return authDatabaseUrl(database);
    },
    get jobsDatabaseUrl(): string {
      return jobsDatabaseUrl(database);
    },
    get adminDatabaseUrl(): string {
      return adminDatabaseUrl(database);
    },
    /** Required in production; the dev key otherwise (as tenantContextKeyFromEnv()). */
    tenantContextKey: vars.TENANT_CONTEXT_KEY,
    placements: vars.DATABASE_PLACEMENTS,
    pooler: vars.DATABASE_POOLER,
    trustedProxies: vars.STUDIO_TRUSTED_PROXIES,
    storageDir: vars.STUDIO_STORAGE_DIR,
    /** REDIS_URL: quotas, the tenant cache and sign-in limits shared by the app's processes; undefined: in process. */
    redisUrl: vars.REDIS_URL,
  };
}

/** STUDIO_STORAGE_DIR: where the local file store keeps files; default `.data/storage` under the working directory. */
export function storageDirFromEnv(env: RawEnv = process.env): string {
  return env.STUDIO_STORAGE_DIR?.trim() || path.join(process.cwd(), '.data', 'storage');
}

/** Who runs a lifecycle command, for its platform event: STUDIO_OPERATOR, else the login name. */
export function operatorFromEnv(env: RawEnv = process.env): string {
  return env.STUDIO_OPERATOR || env.USER || env.LOGNAME || 'unknown';
}

export class EnvValidationError extends Error {
  readonly code = 'ENV_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EnvValidationError';
  }
}

interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * createEnv's `onValidationError`: one error naming each invalid variable and what is wrong with
 * it (the value is not printed: it may be a secret).
 */
export function envValidationError(issues: readonly Issue[]): never {
  const lines = issues.map((issue) => {
    const name = issue.path?.map((part) => String(typeof part === 'object' ? part.key : part)).join('.') ?? '';
    return `  ${name && !issue.message.startsWith(name) ? `${name}: ` : ''}${issue.message}`;
  });
  throw new EnvValidationError(`Invalid environment variables:\n${lines.join('\n')}`);
}

// The helpers behind these rules, for code that reads an environment of its own (the CLI, tests,
// the platform console's admin URL).
export { adminDatabaseUrl, appDatabaseUrl, authDatabaseUrl, jobsDatabaseUrl, lifecycleTargets, placementsFromEnv, poolerFromEnv, redisUrlFromEnv, tenantContextKeyFromEnv, trustedProxiesFromEnv } from './env';
