import 'server-only';
import { createAuth, createDevMailer, type Auth } from '@studio/auth';
import { getDb } from './db';
import { env } from './env';

const globalForAuth = globalThis as unknown as { studioAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.studioAuth ??= createAuth({
    url: env.authDatabaseUrl,
    db: getDb(),
    secret: env.authSecret,
    baseURL: env.publicUrl,
    trustedOrigins: [env.publicUrl],
    // No mail server yet: the dev mailer logs invitation links.
    mailer: createDevMailer(),
    invitationLink: ({ id, tenantSlug }) => `${env.publicUrl}/t/${tenantSlug}/invite/${id}`,
    trustedProxies: env.trustedProxies,
  });
  return globalForAuth.studioAuth;
}
