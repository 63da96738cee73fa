import 'server-only';
import { createAuth, createDevMailer, type Auth } from '@studio/auth';
import { getDb } from './db';
import { env } from './env';

const globalForAuth = globalThis as unknown as { studioAuth?: Auth };

/** The shared sign-in (@studio/auth), served at the console's own origin. */
export function getAuth(): Auth {
  globalForAuth.studioAuth ??= createAuth({
    url: env.authDatabaseUrl,
    db: getDb(),
    secret: env.authSecret,
    baseURL: env.publicUrl,
    trustedOrigins: [env.publicUrl],
    // The console invites nobody (an admin is no tenant's member); the mailer only satisfies the config.
    mailer: createDevMailer(),
    invitationLink: () => env.publicUrl,
    trustedProxies: env.trustedProxies,
  });
  return globalForAuth.studioAuth;
}
