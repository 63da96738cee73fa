import 'server-only';
import { createAuth, createDevMailer } from '@studio/auth';
import { defineProductApp } from '@studio/tenancy/next';
import { pathPrefix } from '@studio/tenancy/resolver';
import { env } from './env';
import { tenantPath } from './paths';
import { permissions } from './permissions';

/**
 * The lessons product, in one place. Its table runs without RLS (`lesson_plans` is `rls: false`):
 * the query guard alone keeps tenants apart, so both enforcement modes of the contract are in
 * use. The tenant is in the path, /t/<slug>/... (C6); who may do what, src/permissions.ts (C14).
 * One host for every tenant, so one session cookie serves them all.
 */
export const { getDb, getAuth, getTenancy, proxy, pageContext, authHandler } = defineProductApp({
  name: 'lessons',
  mode: 'app',
  env,
  strategies: [pathPrefix()],
  permissions,
  tenantBasePath: (slug) => tenantPath(slug),
  auth: (db) =>
    createAuth({
      url: env.authDatabaseUrl,
      db,
      secret: env.authSecret,
      baseURL: env.publicUrl,
      trustedOrigins: [env.publicUrl],
      // No mail server and no invitation page here: invitations are sent from the invoices app.
      mailer: createDevMailer(),
      invitationLink: ({ id, tenantSlug }) => `${env.publicUrl}/t/${tenantSlug}/invite/${id}`,
      trustedProxies: env.trustedProxies,
      // Sign-in attempts counted once for all of the app's processes when REDIS_URL is set.
      redisUrl: env.redisUrl,
    }),
});
