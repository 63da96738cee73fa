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
    // The console invites one person per tenant: its first owner (@studio/platform's inviteFirstOwner).
    // No mail server in this repository: the dev mailer logs the mail, and the console shows the
    // link once, for the admin to hand over. The invitee accepts in a product app.
    mailer: createDevMailer(),
    invitationLink: env.invitationLink,
    trustedProxies: env.trustedProxies,
    // Sign-in attempts counted once for all of the app's processes when REDIS_URL is set.
    redisUrl: env.redisUrl,
  });
  return globalForAuth.studioAuth;
}
