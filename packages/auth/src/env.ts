/** The key Better Auth signs cookies with. Production refuses to start without a real one. */
const DEV_SECRET = 'studio-dev-secret-not-for-production-000000';

export function authSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.BETTER_AUTH_SECRET ?? env.AUTH_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32).');
    return secret;
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('BETTER_AUTH_SECRET is not set. Generate one (openssl rand -base64 32) and set it for this app.');
  }
  return DEV_SECRET;
}
