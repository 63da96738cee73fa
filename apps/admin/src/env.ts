import { authSecretFromEnv } from '@studio/auth';
import { trustedProxiesFromEnv } from '@studio/tenancy';
import { appDatabaseUrl, authDatabaseUrl, placementsFromEnv, poolerFromEnv, tenantContextKeyFromEnv } from '@studio/tenancy';
import { adminDatabaseUrl } from '@studio/tenancy/admin';
import { z } from 'zod';
import { redisUrlFromEnv } from '@studio/tenancy';

const publicUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^/]+$/.test(value.replace(/\/$/, '')) && URL.canParse(value), 'must be an origin such as http://localhost:3003 (no path)');

/** The console's settings, validated when first read; no other file reads process.env. */
export const env = {
  /** The app role: Better Auth's tables, the tenants' scoped clients (break-glass), exports. */
  get databaseUrl() {
    return appDatabaseUrl(process.env);
  },
  /** The admin role (BYPASSRLS): cross-tenant reads and the platform's own tables (C11). */
  get adminDatabaseUrl() {
    return adminDatabaseUrl(process.env);
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
  /** Redis of the products' tenant cache (REDIS_URL), so a support write invalidates their values; unset: none shared. */
  get redisUrl() {
    return redisUrlFromEnv(process.env);
  },
  /** Where the console is served (ADMIN_PUBLIC_URL, default http://localhost:3003): sign-in's origin check. */
  get publicUrl(): string {
    const value = process.env.ADMIN_PUBLIC_URL?.trim() || 'http://localhost:3003';
    const parsed = publicUrl.safeParse(value);
    if (!parsed.success) throw new Error(`ADMIN_PUBLIC_URL=${JSON.stringify(value)}: ${parsed.error.issues[0]!.message}.`);
    return parsed.data.replace(/\/$/, '');
  },
  get production() {
    return process.env.NODE_ENV === 'production';
  },
};
