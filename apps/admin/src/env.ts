import { authEnv } from '@studio/auth/env';
import { envValidationError, productionRequirements, tenancyEnv, tenancySettings } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

/**
 * The console's variables: the packages' pieces and its own, validated by t3-env in one pass (an
 * empty variable counts as unset; an invalid one stops with its name). Read on first use; checked
 * whole by validateEnv() when the server starts (instrumentation.ts) and when it builds
 * (next.config.ts). No other file of the app reads process.env.
 */
function read(production = productionRequirements()) {
  return createEnv({
    server: {
      ...tenancyEnv({ production }),
      ...authEnv({ production }),
      NODE_ENV: z.string().optional(),
      ADMIN_PUBLIC_URL: z
        .string()
        .transform((value) => value.trim().replace(/\/$/, ''))
        .pipe(z.string().refine((value) => /^https?:\/\/[^/]+$/.test(value) && URL.canParse(value), 'must be an origin such as http://localhost:3003 (no path)'))
        .default('http://localhost:3003'),
    },
    // t3-env deletes the empty variables from the object it is given: a copy, not process.env.
    runtimeEnv: { ...process.env },
    emptyStringAsUndefined: true,
    onValidationError: envValidationError,
  });
}

let vars: ReturnType<typeof read> | undefined;
let settings: ReturnType<typeof tenancySettings> | undefined;
function current() {
  vars ??= read();
  settings ??= tenancySettings(vars);
  return { vars, settings };
}

/**
 * Validates every variable now (`{ build: true }`: not the production secrets), and at start
 * (`{ start: true }`) that each database the console
 * connects to is configured: a server with a wrong setting stops at once, naming it.
 */
export function validateEnv({ start = false, build = false }: { start?: boolean; build?: boolean } = {}): void {
  // A build needs no secret: the server it builds refuses to start without them.
  if (build) return void read(false);
  const { settings } = current();
  if (start) void [settings.databaseUrl, settings.authDatabaseUrl, settings.adminDatabaseUrl];
}

/** The console's settings. */
export const env = {
  /** The app role: Better Auth's tables, the tenants' scoped clients (break-glass), exports. */
  get databaseUrl() {
    return current().settings.databaseUrl;
  },
  /** The admin role (BYPASSRLS): cross-tenant reads and the platform's own tables (C11). */
  get adminDatabaseUrl() {
    return current().settings.adminDatabaseUrl;
  },
  /** The auth library's own role (DATABASE_AUTH_URL, or derived): credentials are not the product role's. */
  get authDatabaseUrl() {
    return current().settings.authDatabaseUrl;
  },
  /** Signs the tenant context RLS trusts (TENANT_CONTEXT_KEY; required in production). */
  get tenantContextKey() {
    return current().settings.tenantContextKey;
  },
  get placements() {
    return current().settings.placements;
  },
  get pooler() {
    return current().settings.pooler;
  },
  get authSecret() {
    return current().vars.BETTER_AUTH_SECRET;
  },
  /** Proxies in front that append to X-Forwarded-For (STUDIO_TRUSTED_PROXIES, default 0): per-client sign-in limits. */
  get trustedProxies() {
    return current().settings.trustedProxies;
  },
  /** Redis of the products' tenant cache (REDIS_URL), so a support write invalidates their values; unset: none shared. */
  get redisUrl() {
    return current().settings.redisUrl;
  },
  /** Where the console is served (ADMIN_PUBLIC_URL, default http://localhost:3003): sign-in's origin check. */
  get publicUrl(): string {
    return current().vars.ADMIN_PUBLIC_URL;
  },
  get production() {
    return current().vars.NODE_ENV === 'production';
  },
};
