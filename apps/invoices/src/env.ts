import { authSecretFromEnv } from '@studio/auth';
import { trustedProxiesFromEnv } from '@studio/tenancy';
import { appDatabaseUrl, authDatabaseUrl, jobsDatabaseUrl, placementsFromEnv, poolerFromEnv, tenantContextKeyFromEnv } from '@studio/tenancy';
import { redisUrlFromEnv } from '@studio/tenancy';

/** The app's settings, validated when first read; no other file reads process.env. */
export const env = {
  get databaseUrl() {
    return appDatabaseUrl(process.env);
  },
  /** The auth library's own role (DATABASE_AUTH_URL, or derived): credentials are not the product role's. */
  get authDatabaseUrl() {
    return authDatabaseUrl(process.env);
  },
  /** The job queue's own role (DATABASE_JOBS_URL, or derived). */
  get jobsDatabaseUrl() {
    return jobsDatabaseUrl(process.env);
  },
  /** Signs the tenant context RLS trusts (TENANT_CONTEXT_KEY; required in production). */
  get tenantContextKey() {
    return tenantContextKeyFromEnv(process.env);
  },
  get placements() {
    return placementsFromEnv(process.env);
  },
  /** 'transaction' behind PgBouncer in transaction mode (DATABASE_POOLER). */
  get pooler() {
    return poolerFromEnv(process.env);
  },
  get authSecret() {
    return authSecretFromEnv(process.env);
  },
  /** Proxies in front that append to X-Forwarded-For (STUDIO_TRUSTED_PROXIES, default 0): per-client sign-in limits. */
  get trustedProxies() {
    return trustedProxiesFromEnv(process.env);
  },
  /** Redis for the quotas and the tenant cache, shared by the app's processes (REDIS_URL); unset: in process. */
  get redisUrl() {
    return redisUrlFromEnv(process.env);
  },
  /** Tenants live at <slug>.<baseDomain> (INVOICES_BASE_DOMAIN, default 'localhost'). */
  get baseDomain() {
    return (process.env.INVOICES_BASE_DOMAIN ?? 'localhost').toLowerCase();
  },
  /** Public port or none ('' for 80/443 behind a proxy); default 3001. */
  get publicPort() {
    return process.env.INVOICES_PUBLIC_PORT ?? '3001';
  },
  get protocol(): 'http' | 'https' {
    return process.env.INVOICES_PROTOCOL === 'https' ? 'https' : 'http';
  },
};

/** The address of a tenant's pages, e.g. http://acme.localhost:3001. */
export function tenantOrigin(slug: string | null): string {
  const port = env.publicPort ? `:${env.publicPort}` : '';
  return `${env.protocol}://${slug ? `${slug}.` : ''}${env.baseDomain}${port}`;
}
