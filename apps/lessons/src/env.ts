import { authSecretFromEnv } from '@studio/auth';
import { trustedProxiesFromEnv } from '@studio/tenancy';
import { appDatabaseUrl, authDatabaseUrl, placementsFromEnv, poolerFromEnv, tenantContextKeyFromEnv } from '@studio/tenancy';

/** The app's settings, validated when first read; no other file reads process.env. */
export const env = {
  get databaseUrl() {
    return appDatabaseUrl(process.env);
  },
  /** The auth library's own role (DATABASE_AUTH_URL, or derived): credentials are not the product role's. */
  get authDatabaseUrl() {
    return authDatabaseUrl(process.env);
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
  /** Where the app is served (LESSONS_PUBLIC_URL, default http://localhost:3002); tenants live under /t/<slug>. */
  get publicUrl() {
    return (process.env.LESSONS_PUBLIC_URL || 'http://localhost:3002').replace(/\/$/, '');
  },
  /** Demo hints (the demo password, the demo workspaces) are shown outside production only. */
  get showDemoHints() {
    return process.env.NODE_ENV !== 'production';
  },
};
