/**
 * The auth library's settings: BETTER_AUTH_SECRET, the key Better Auth signs session cookies
 * with. Production refuses to start without a real one.
 */
import { z } from 'zod';

const DEV_SECRET = 'studio-dev-secret-not-for-production-000000';
const MIN_LENGTH = 32;

/** BETTER_AUTH_SECRET (or AUTH_SECRET) of an environment; the dev key outside production. */
export function authSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.BETTER_AUTH_SECRET || env.AUTH_SECRET;
  if (secret) {
    if (secret.length < MIN_LENGTH) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32).');
    return secret;
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('BETTER_AUTH_SECRET is not set. Generate one (openssl rand -base64 32) and set it for this app.');
  }
  return DEV_SECRET;
}

/**
 * This package's piece of an app's environment schema (t3-env's shape, composed with the other
 * packages' pieces in the app's env.ts). `production`: the secret is required (see
 * productionRequirements() of @studio/tenancy/env); otherwise it defaults to the dev key.
 */
export function authEnv({ production }: { production: boolean }) {
  const secret = z
    .string({ error: (issue) => (issue.input === undefined ? 'required in production: generate one (openssl rand -base64 32) and set it for this app' : undefined) })
    .min(MIN_LENGTH, `must be at least ${MIN_LENGTH} characters (try: openssl rand -base64 32)`);
  return {
    BETTER_AUTH_SECRET: production ? secret : secret.optional().transform((value) => value ?? DEV_SECRET),
  };
}
