import { authEnv } from '@studio/auth/env';
import { envValidationError, productionRequirements, tenancyEnv, tenancySettings } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

/**
 * The app's variables: the packages' pieces and its own, validated by t3-env in one pass (an
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
      LESSONS_PUBLIC_URL: z
        .string()
        .transform((value) => value.trim().replace(/\/$/, ''))
        .pipe(z.string().refine((value) => /^https?:\/\/[^/]+$/.test(value) && URL.canParse(value), 'must be an origin such as http://localhost:3002 (no path)'))
        .default('http://localhost:3002'),
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
 * (`{ start: true }`) that each database this app
 * connects to is configured: a server with a wrong setting stops at once, naming it.
 */
export function validateEnv({ start = false, build = false }: { start?: boolean; build?: boolean } = {}): void {
  // A build needs no secret: the server it builds refuses to start without them.
  if (build) return void read(false);
  const { settings } = current();
  if (start) void [settings.databaseUrl, settings.authDatabaseUrl];
}

/** The app's settings. */
export const env = {
  get databaseUrl() {
    return current().settings.databaseUrl;
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
  /** 'transaction' behind PgBouncer in transaction mode (DATABASE_POOLER). */
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
  /** Where the app is served (LESSONS_PUBLIC_URL, default http://localhost:3002); tenants live under /t/<slug>. */
  get publicUrl() {
    return current().vars.LESSONS_PUBLIC_URL;
  },
  /** Demo hints (the demo password, the demo workspaces) are shown outside production only. */
  get showDemoHints() {
    return current().vars.NODE_ENV !== 'production';
  },
};
