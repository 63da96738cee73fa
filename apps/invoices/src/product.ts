import 'server-only';
import { createAuth, createDevMailer, sessionDomainFor, type DevMailer } from '@studio/auth';
import { defineProductApp } from '@studio/tenancy/next';
import { bearerToken, subdomain } from '@studio/tenancy/resolver';
import { env, tenantOrigin } from './env';
import { permissions } from './permissions';

/**
 * The invoices product, in one place: isolation by the query guard and Postgres RLS; the tenant
 * from the subdomain (acme.localhost:3001) for pages, and for the JSON API also the tenant claim
 * of the bearer token, both of which must agree (C6). Who may do what: src/permissions.ts (C14).
 */
export const { getDb, getAuth, getTenancy, proxy, pageContext, authHandler } = defineProductApp({
  name: 'invoices',
  mode: 'rls',
  env,
  strategies: () => [subdomain({ baseDomain: env.baseDomain }), bearerToken()],
  permissions,
  auth: (db) => {
    const port = env.publicPort ? `:${env.publicPort}` : '';
    return createAuth({
      url: env.authDatabaseUrl,
      db,
      secret: env.authSecret,
      baseURL: {
        allowedHosts: [`${env.baseDomain}${port}`, `*.${env.baseDomain}${port}`],
        fallback: tenantOrigin(null),
        protocol: env.protocol,
      },
      trustedOrigins: [tenantOrigin(null), `${env.protocol}://*.${env.baseDomain}${port}`],
      // One session for all of the user's workspaces (the switcher keeps them signed in), where a
      // browser allows it: not on localhost (docs/auth-and-resolver.md).
      sessionDomain: sessionDomainFor(env.baseDomain),
      mailer: getMailer(),
      invitationLink: ({ id, tenantSlug }) => `${tenantOrigin(tenantSlug)}/invite/${id}`,
      trustedProxies: env.trustedProxies,
      // Sign-in attempts counted once for all of the app's processes when REDIS_URL is set.
      redisUrl: env.redisUrl,
    });
  },
});

const globalForMailer = globalThis as unknown as { studioMailer?: DevMailer };

/** No mail server in this product yet: invitations go to the dev mailer, which logs the link. */
export function getMailer(): DevMailer {
  globalForMailer.studioMailer ??= createDevMailer();
  return globalForMailer.studioMailer;
}
