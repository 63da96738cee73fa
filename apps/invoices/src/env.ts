import { authEnv } from '@studio/auth/env';
import { envValidationError, productionRequirements, tenancyEnv, tenancySettings } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The app's variables: the packages' pieces and its own, validated by t3-env in one pass (an
 * empty variable counts as unset; an invalid one stops with its name). Read on first use; checked
 * whole by validateEnv() when the server starts (instrumentation.ts) and when it builds
 * (next.config.ts). No other file of the app reads process.env.
 */
function read(production = productionRequirements()) {
  // t3-env deletes the empty variables from the object it is given: a copy, not process.env.
  const runtimeEnv = { ...process.env };
  // INVOICES_PUBLIC_PORT= (empty) has always meant "no port in public URLs" (behind a proxy on 80/443).
  if (runtimeEnv.INVOICES_PUBLIC_PORT === '') runtimeEnv.INVOICES_PUBLIC_PORT = 'none';
  return createEnv({
    server: {
      ...tenancyEnv({ production }),
      ...authEnv({ production }),
      NODE_ENV: z.string().optional(),
      INVOICES_BASE_DOMAIN: z
        .string()
        .transform((value) => value.trim().toLowerCase())
        .pipe(z.string().regex(hostname, 'must be a host name such as localhost or example.com (tenants live at <slug>.<domain>)'))
        .default('localhost'),
      INVOICES_PUBLIC_PORT: z
        .string()
        .refine((value) => value === 'none' || (/^[1-9]\d{0,4}$/.test(value) && Number(value) <= 65535), "must be a port number (1-65535), or 'none' (or empty) behind a proxy on 80/443")
        .default('3001')
        .transform((value) => (value === 'none' ? '' : value)),
      INVOICES_PROTOCOL: z.enum(['http', 'https']).default('http'),
      INVOICES_JOBS: z.enum(['on', 'off']).default('on'),
    },
    runtimeEnv,
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
  if (start) void [settings.databaseUrl, settings.authDatabaseUrl, settings.jobsDatabaseUrl];
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
  /** The job queue's own role (DATABASE_JOBS_URL, or derived). */
  get jobsDatabaseUrl() {
    return current().settings.jobsDatabaseUrl;
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
  /** Redis for the quotas and the tenant cache, shared by the app's processes (REDIS_URL); unset: in process. */
  get redisUrl() {
    return current().settings.redisUrl;
  },
  /** Tenants live at <slug>.<baseDomain> (INVOICES_BASE_DOMAIN, default 'localhost'). */
  get baseDomain() {
    return current().vars.INVOICES_BASE_DOMAIN;
  },
  /** Public port or none ('' for 80/443 behind a proxy: INVOICES_PUBLIC_PORT=none or empty); default 3001. */
  get publicPort() {
    return current().vars.INVOICES_PUBLIC_PORT;
  },
  get protocol(): 'http' | 'https' {
    return current().vars.INVOICES_PROTOCOL;
  },
  /** Whether this process works the export queue (INVOICES_JOBS=off: it does not). */
  get jobsEnabled() {
    return current().vars.INVOICES_JOBS === 'on';
  },
  /** Demo hints (the demo tenants, the invitation link of the dev mailer) outside production only. */
  get showDemoHints() {
    return current().vars.NODE_ENV !== 'production';
  },
};

/** The address of a tenant's pages, e.g. http://acme.localhost:3001. */
export function tenantOrigin(slug: string | null): string {
  const port = env.publicPort ? `:${env.publicPort}` : '';
  return `${env.protocol}://${slug ? `${slug}.` : ''}${env.baseDomain}${port}`;
}
