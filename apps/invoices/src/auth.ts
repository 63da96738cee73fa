import 'server-only';
import { createAuth, createDevMailer, type Auth, type DevMailer } from '@studio/auth';
import { getDb } from './db';
import { env, tenantOrigin } from './env';

const globalForAuth = globalThis as unknown as { studioAuth?: Auth; studioMailer?: DevMailer };

/** No mail server in this product yet: invitations go to the dev mailer, which logs the link. */
export function getMailer(): DevMailer {
  globalForAuth.studioMailer ??= createDevMailer();
  return globalForAuth.studioMailer;
}

export function getAuth(): Auth {
  if (!globalForAuth.studioAuth) {
    const port = env.publicPort ? `:${env.publicPort}` : '';
    globalForAuth.studioAuth = createAuth({
      url: env.authDatabaseUrl,
      db: getDb(),
      secret: env.authSecret,
      baseURL: {
        allowedHosts: [`${env.baseDomain}${port}`, `*.${env.baseDomain}${port}`],
        fallback: tenantOrigin(null),
        protocol: env.protocol,
      },
      trustedOrigins: [tenantOrigin(null), `${env.protocol}://*.${env.baseDomain}${port}`],
      mailer: getMailer(),
      invitationLink: ({ id, tenantSlug }) => `${tenantOrigin(tenantSlug)}/invite/${id}`,
      trustedProxies: env.trustedProxies,
    });
  }
  return globalForAuth.studioAuth;
}
