/**
 * Sign-in limits with REDIS_URL: every process that serves an app counts the same attempts. Two
 * createAuth instances here are two processes of one app (each has its own in-process counters);
 * counted in Redis, five wrong passwords through one and the sixth through the other is refused.
 * Without Redis they count apart, which is what the shared count prevents: N processes would let
 * an attacker try N times as often. A Redis that does not answer never fails a sign-in: each
 * process counts on its own meanwhile.
 */
import { closeSharedRedis } from '@studio/tenancy/cache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, createDevMailer, type Auth } from '../src/index';
import { authWorld, ORIGIN, type AuthWorld } from './helpers';

const redisUrl = process.env.REDIS_URL?.trim();

let w: AuthWorld;
const opened: Auth[] = [];

beforeAll(async () => {
  w = await authWorld();
}, 60_000);

afterAll(async () => {
  for (const auth of opened) await auth.close();
  await w?.close();
  await closeSharedRedis();
});

/** Another process of the same app: its own createAuth, on the same database. */
function process_(redis: string | undefined): Auth {
  const auth = createAuth({
    url: w.testDb.urls.auth,
    db: w.db,
    secret: 'test-secret-test-secret-test-secret-0123',
    baseURL: { allowedHosts: ['localhost:3001', '*.localhost:3001'], fallback: 'http://localhost:3001', protocol: 'http' },
    trustedOrigins: ['http://localhost:3001', 'http://*.localhost:3001'],
    mailer: createDevMailer({ log: () => {} }),
    invitationLink: ({ id, tenantSlug }) => `http://${tenantSlug}.localhost:3001/invite/${id}`,
    redisUrl: redis,
  });
  opened.push(auth);
  return auth;
}

async function signIn(auth: Auth, email: string, password: string): Promise<number> {
  const response = await auth.auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }),
  );
  return response.status;
}

/** An address no earlier run used (Redis keeps counts for an hour). */
const fresh = (what: string) => `${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@limits.test`;

describe('sign-in limits across the processes of an app', () => {
  it.runIf(Boolean(redisUrl))('with REDIS_URL, attempts through one process count in another', async () => {
    const [a, b] = [process_(redisUrl), process_(redisUrl)];
    const email = fresh('shared');
    for (let i = 0; i < 5; i++) expect(await signIn(i % 2 ? b : a, email, `guess ${i}`)).toBe(401);
    expect(await signIn(b, email, 'guess 5')).toBe(401);
    // The sixth made the next one wait, in either process.
    expect(await signIn(a, email, 'guess 6')).toBe(429);
    expect(await signIn(b, email, 'guess 7')).toBe(429);
  });

  it('without it, each process counts on its own (what REDIS_URL is for)', async () => {
    const [a, b] = [process_(undefined), process_(undefined)];
    const email = fresh('apart');
    for (let i = 0; i < 6; i++) expect(await signIn(a, email, `guess ${i}`)).toBe(401);
    expect(await signIn(a, email, 'guess 6')).toBe(429);
    expect(await signIn(b, email, 'guess 7')).toBe(401);
  });

  it('a Redis that does not answer fails no sign-in: the process counts on its own meanwhile', async () => {
    // Nothing listens on port 1.
    const down = process_('redis://127.0.0.1:1');
    const email = fresh('down');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await signIn(down, email, `guess ${i}`));
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
  });
});
