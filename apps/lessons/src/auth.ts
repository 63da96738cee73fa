import 'server-only';
import { createAuth, createDevMailer, type Auth } from '@studio/auth';
import { getDb } from './db';
import { env } from './env';

const globalForAuth = globalThis as unknown as { studioAuth?: Auth };

/** One host for every tenant (the tenant is in the path), so one session cookie serves them all. */
export function getAuth(): Auth {
  globalForAuth.studioAuth ??= createAuth({
    url: env.authDatabaseUrl,
    db: getDb(),
    secret: env.authSecret,
    baseURL: env.publicUrl,
    trustedOrigins: [env.publicUrl],
    // No mail server and no invitation page here: invitations are sent from the invoices app.
    mailer: createDevMailer(),
    invitationLink: ({ id, tenantSlug }) => `${env.publicUrl}/t/${tenantSlug}/invite/${id}`,
    trustedProxies: env.trustedProxies,
  });
  return globalForAuth.studioAuth;
}
