/**
 * `defineAppEnv`: a product app's whole src/env.ts in one call (issue 20). The packages' pieces
 * (tenancyEnv, and the auth piece the app hands in: `@studio/auth` depends on this package) and
 * the app's own variables, validated by t3-env in one pass (an empty variable counts as unset; an
 * invalid one stops with its name); read on first use; checked whole by `validateEnv()` when the
 * server starts (instrumentation.ts) and when it builds (next.config.ts).
 *
 * The app passes t3-env's `createEnv` and `process.env`: its src/env.ts stays the one file of the
 * app that reads the environment (the lint rule), and this package needs no copy of t3-env.
 *
 * Every app gets the same settings: the database URLs of its roles, the context key, placements,
 * pooler, proxies, Redis, the auth secret, where it is served and `tenantOrigin(slug)`:
 *  - `origin: 'subdomains'`: tenants at <slug>.<domain>: <P>_BASE_DOMAIN (default localhost),
 *    <P>_PUBLIC_PORT (default `defaultPort`; empty or 'none': no port, behind a proxy on 80/443)
 *    and <P>_PROTOCOL (http or https);
 *  - `origin: 'public-url'`: one origin, <P>_PUBLIC_URL (default http://localhost:<defaultPort>),
 *    tenants in the path (or none: the admin console).
 */
import path from 'node:path';
import type { NextConfig } from 'next';
import type { z } from 'zod';
import { z as zod } from 'zod';
import { envValidationError, productionRequirements, tenancyEnv, tenancySettings, type TenancyEnv } from './env-schema';

type Shape = Record<string, z.ZodType>;
type RawEnv = Record<string, string | undefined>;
type Outputs<T extends Shape> = { [K in keyof T]: z.output<T[K]> };

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The databases an app connects to, checked at start: 'app' and 'auth' always. */
export type AppDatabase = 'jobs' | 'admin';

export interface AppEnvOptions<S extends Shape, E> {
  /** t3-env's `createEnv` (`import { createEnv } from '@t3-oss/env-core'`). */
  createEnv: (options: never) => unknown;
  /** `process.env`: copied on each read (t3-env deletes the empty variables of what it is given). */
  runtimeEnv: RawEnv;
  /** `@studio/auth/env`'s `authEnv`: BETTER_AUTH_SECRET. */
  auth: (options: { production: boolean }) => { BETTER_AUTH_SECRET: z.ZodType<string, string | undefined> };
  /** The variables' prefix, e.g. 'INVOICES' (INVOICES_BASE_DOMAIN, INVOICES_PUBLIC_URL). */
  prefix: string;
  /** Where the app is served: see the module's comment. */
  origin: 'subdomains' | 'public-url';
  /** The port of `next dev` and `next start`, e.g. '3001'. */
  defaultPort: string;
  /** Databases besides the app's and the auth role's that validateEnv({ start: true }) requires. */
  databases?: readonly AppDatabase[];
  /** The app's own variables (t3-env's shape: zod schemas by name). */
  server?: S;
  /** The app's own settings, each read from the validated variables on use: `{ jobsEnabled: (vars) => vars.INVOICES_JOBS === 'on' }`. */
  settings?: { [K in keyof E]: (vars: Outputs<S> & TenancyEnv) => E[K] };
}

/** The settings every app has. */
export interface AppEnvSettings {
  readonly databaseUrl: string;
  /** The auth library's own role (DATABASE_AUTH_URL, or derived): credentials are not the product role's. */
  readonly authDatabaseUrl: string;
  /** The job queue's own role (DATABASE_JOBS_URL, or derived). */
  readonly jobsDatabaseUrl: string;
  /** The admin role (BYPASSRLS, DATABASE_ADMIN_URL or derived): the admin console only. */
  readonly adminDatabaseUrl: string;
  /** Signs the tenant context RLS trusts (TENANT_CONTEXT_KEY; required in production). */
  readonly tenantContextKey: string;
  readonly placements: Record<string, string>;
  /** 'transaction' behind PgBouncer in transaction mode (DATABASE_POOLER). */
  readonly pooler: 'none' | 'transaction';
  readonly authSecret: string;
  /** Proxies in front that append to X-Forwarded-For (STUDIO_TRUSTED_PROXIES, default 0): per-client sign-in limits. */
  readonly trustedProxies: number;
  /** Redis for the quotas and the tenant cache, shared by the app's processes (REDIS_URL); unset: in process. */
  readonly redisUrl: string | undefined;
  /** Where the app is served, without a path: <P>_PUBLIC_URL, or the subdomain settings' origin without a tenant. */
  readonly publicUrl: string;
  /** Tenants live at <slug>.<baseDomain> (subdomains); the public URL's host otherwise. */
  readonly baseDomain: string;
  /** The port in public URLs, '' for none (80/443). */
  readonly publicPort: string;
  readonly protocol: 'http' | 'https';
  readonly production: boolean;
  /** Demo hints (the demo tenants and password, the dev mailer's links) outside production only. */
  readonly showDemoHints: boolean;
}

export interface AppEnv<S extends Shape, E> {
  /** The app's settings, read on first use. */
  env: AppEnvSettings & Readonly<E>;
  /**
   * Validates every variable now (`{ build: true }`: not the production secrets), and at start
   * (`{ start: true }`) that each database this app connects to is configured: a server with a
   * wrong setting stops at once, naming it.
   */
  validateEnv(options?: { start?: boolean; build?: boolean }): void;
  /** The address of a tenant's pages, e.g. http://acme.localhost:3001 (subdomains) or the public URL (tenants in the path). */
  tenantOrigin(slug: string | null): string;
  /** The validated variables, packages' and the app's own. */
  vars(): Outputs<S> & TenancyEnv & { BETTER_AUTH_SECRET: string; NODE_ENV?: string };
}

function originSchema(options: { prefix: string; origin: 'subdomains' | 'public-url'; defaultPort: string }): Shape {
  const { prefix, defaultPort } = options;
  if (options.origin === 'public-url') {
    return {
      [`${prefix}_PUBLIC_URL`]: zod
        .string()
        .transform((value) => value.trim().replace(/\/$/, ''))
        .pipe(zod.string().refine((value) => /^https?:\/\/[^/]+$/.test(value) && URL.canParse(value), `must be an origin such as http://localhost:${defaultPort} (no path)`))
        .default(`http://localhost:${defaultPort}`),
    };
  }
  return {
    [`${prefix}_BASE_DOMAIN`]: zod
      .string()
      .transform((value) => value.trim().toLowerCase())
      .pipe(zod.string().regex(hostname, 'must be a host name such as localhost or example.com (tenants live at <slug>.<domain>)'))
      .default('localhost'),
    [`${prefix}_PUBLIC_PORT`]: zod
      .string()
      .refine((value) => value === 'none' || (/^[1-9]\d{0,4}$/.test(value) && Number(value) <= 65535), "must be a port number (1-65535), or 'none' (or empty) behind a proxy on 80/443")
      .default(defaultPort)
      .transform((value) => (value === 'none' ? '' : value)),
    [`${prefix}_PROTOCOL`]: zod.enum(['http', 'https']).default('http'),
  };
}

interface Origin {
  publicUrl: string;
  baseDomain: string;
  publicPort: string;
  protocol: 'http' | 'https';
  tenantOrigin(slug: string | null): string;
}

function originOf(vars: Record<string, unknown>, prefix: string, kind: 'subdomains' | 'public-url'): Origin {
  if (kind === 'public-url') {
    const publicUrl = vars[`${prefix}_PUBLIC_URL`] as string;
    const url = new URL(publicUrl);
    return { publicUrl, baseDomain: url.hostname, publicPort: url.port, protocol: url.protocol === 'https:' ? 'https' : 'http', tenantOrigin: () => publicUrl };
  }
  const baseDomain = vars[`${prefix}_BASE_DOMAIN`] as string;
  const publicPort = vars[`${prefix}_PUBLIC_PORT`] as string;
  const protocol = vars[`${prefix}_PROTOCOL`] as 'http' | 'https';
  const port = publicPort ? `:${publicPort}` : '';
  const tenantOrigin = (slug: string | null) => `${protocol}://${slug ? `${slug}.` : ''}${baseDomain}${port}`;
  return { publicUrl: tenantOrigin(null), baseDomain, publicPort, protocol, tenantOrigin };
}

export function defineAppEnv<S extends Shape = Record<never, z.ZodType>, E = Record<never, never>>(options: AppEnvOptions<S, E>): AppEnv<S, E> {
  const { prefix, runtimeEnv } = options;
  const createEnv = options.createEnv as unknown as (options: {
    server: Shape;
    runtimeEnv: RawEnv;
    emptyStringAsUndefined: boolean;
    onValidationError: typeof envValidationError;
  }) => Record<string, unknown>;

  function read(production = productionRequirements(runtimeEnv)) {
    // t3-env deletes the empty variables from the object it is given: a copy, not process.env.
    const copy = { ...runtimeEnv };
    // <P>_PUBLIC_PORT= (empty) has always meant "no port in public URLs" (behind a proxy on 80/443).
    if (options.origin === 'subdomains' && copy[`${prefix}_PUBLIC_PORT`] === '') copy[`${prefix}_PUBLIC_PORT`] = 'none';
    return createEnv({
      server: {
        ...tenancyEnv({ production }),
        ...options.auth({ production }),
        NODE_ENV: zod.string().optional(),
        ...originSchema(options),
        ...options.server,
      },
      runtimeEnv: copy,
      emptyStringAsUndefined: true,
      onValidationError: envValidationError,
    });
  }

  let state: { vars: ReturnType<AppEnv<S, E>['vars']>; settings: ReturnType<typeof tenancySettings>; origin: Origin } | undefined;
  function current() {
    if (!state) {
      const vars = read() as ReturnType<AppEnv<S, E>['vars']>;
      state = { vars, settings: tenancySettings(vars), origin: originOf(vars, prefix, options.origin) };
    }
    return state;
  }

  const env = {
    get databaseUrl() {
      return current().settings.databaseUrl;
    },
    get authDatabaseUrl() {
      return current().settings.authDatabaseUrl;
    },
    get jobsDatabaseUrl() {
      return current().settings.jobsDatabaseUrl;
    },
    get adminDatabaseUrl() {
      return current().settings.adminDatabaseUrl;
    },
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
    get trustedProxies() {
      return current().settings.trustedProxies;
    },
    get redisUrl() {
      return current().settings.redisUrl;
    },
    get publicUrl() {
      return current().origin.publicUrl;
    },
    get baseDomain() {
      return current().origin.baseDomain;
    },
    get publicPort() {
      return current().origin.publicPort;
    },
    get protocol() {
      return current().origin.protocol;
    },
    get production() {
      return current().vars.NODE_ENV === 'production';
    },
    get showDemoHints() {
      return current().vars.NODE_ENV !== 'production';
    },
  } satisfies AppEnvSettings;
  for (const [name, setting] of Object.entries(options.settings ?? {}) as [string, (vars: unknown) => unknown][]) {
    Object.defineProperty(env, name, { get: () => setting(current().vars), enumerable: true });
  }

  return {
    env: env as AppEnvSettings & Readonly<E>,
    validateEnv({ start = false, build = false } = {}) {
      // A build needs no secret: the server it builds refuses to start without them.
      if (build) return void read(false);
      const { settings } = current();
      if (!start) return;
      void [settings.databaseUrl, settings.authDatabaseUrl];
      for (const database of options.databases ?? []) void (database === 'jobs' ? settings.jobsDatabaseUrl : settings.adminDatabaseUrl);
    },
    tenantOrigin: (slug) => current().origin.tenantOrigin(slug),
    vars: () => current().vars,
  };
}

/** Next's PHASE_PRODUCTION_BUILD (next/constants), without loading Next here. */
const PHASE_PRODUCTION_BUILD = 'phase-production-build';

/**
 * A product app's next.config.ts: `export default productNextConfig({ dir: import.meta.dirname, validateEnv })`.
 * The variables are checked when the app builds and when `next dev` starts; the server checks
 * them again at start (registerProductServer).
 */
export function productNextConfig(options: { dir: string; validateEnv: (options: { build: boolean }) => void }): (phase: string) => NextConfig {
  const config: NextConfig = {
    // Each app ships on its own: `next build` emits a self-contained server in .next/standalone.
    output: 'standalone',
    outputFileTracingRoot: path.join(options.dir, '../..'),
    // Loaded from node_modules at run time: native sockets, and the guard's WebAssembly parser.
    serverExternalPackages: ['postgres', 'libpg-query'],
    // forbidden() and forbidden.tsx: a request without the permission a page needs gets a real 403.
    experimental: { authInterrupts: true },
  };
  return (phase) => {
    options.validateEnv({ build: phase === PHASE_PRODUCTION_BUILD });
    return config;
  };
}
