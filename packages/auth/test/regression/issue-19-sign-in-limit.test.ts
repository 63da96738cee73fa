/**
 * Issue 19: 12 wrong passwords in a row never got a 429: Better Auth limits only in production,
 * per client alone, keyed on the first X-Forwarded-For entry (which the client writes). The
 * limits now run in every mode (this is NODE_ENV=test), per address and per client, with backoff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, withClientAddress } from '../../src/hardening';
import { authWorld, ORIGIN, PASSWORD, type AuthWorld } from '../helpers';

let w: AuthWorld;

beforeAll(async () => {
  w = await authWorld();
}, 60_000);

afterAll(async () => {
  await w?.close();
});

/** A sign-in as a browser sends it; `forwardedFor` as the Node server (hardenNodeServer) leaves it: the peer last. */
function signIn(email: string, password: string, forwardedFor?: string): Promise<Response> {
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json' };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  return w.auth.auth.handler(new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: 'POST', headers, body: JSON.stringify({ email, password }) }));
}

describe('sign-in limits', () => {
  it('answers 12 wrong passwords in a row with a 429 and Retry-After, in test mode too', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 12; i++) {
      const response = await signIn('carol@initech.test', `wrong password ${i}`);
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited!.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', message: expect.stringMatching(/Try again in /) });
    // While it waits, the right password is refused too: the wait is not a hint about the password.
    expect((await signIn('carol@initech.test', PASSWORD)).status).toBe(429);
    // Other addresses are not held up.
    expect((await signIn('bob@globex.test', PASSWORD)).status).toBe(200);
  });

  it('treats an unknown address like a registered one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn('nobody@nowhere.test', `guess ${i}`)).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('limits one client trying many addresses, keyed on the address the client cannot forge', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      // The client writes whatever it likes in front; the Node server appends the real peer.
      statuses.push((await signIn(`user${i}@spray.test`, 'password guess', `10.0.${i}.1, 198.51.100.23`)).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toContain(429);
    // Another client is not held up.
    expect((await signIn('alice@acme.test', PASSWORD, '198.51.100.99')).status).toBe(200);
    // 25 password hashes: on a loaded CI machine that took 23 s of the default 30.
  }, 120_000);

  it('a success forgets the address series', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('dave@example.test', `typo ${i}`)).status).toBe(401);
    expect((await signIn('dave@example.test', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn('dave@example.test', `typo again ${i}`)).status).toBe(401);
  });

  it("gives Better Auth's own limiter (production) the client we trust, never one the client wrote", async () => {
    const request = () =>
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.23', [CLIENT_ADDRESS_HEADER]: '10.1.1.1' },
        body: '{"email":"a@b.test"}',
      });
    const wrapped = withClientAddress(request());
    expect(wrapped.headers.get(CLIENT_ADDRESS_HEADER)).toBe('198.51.100.23');
    expect(withClientAddress(request(), 1).headers.get(CLIENT_ADDRESS_HEADER)).toBe('10.9.9.9');
    // No address it can trust: none, rather than the client's (Better Auth then uses its own fallback).
    expect(withClientAddress(request(), 5).headers.get(CLIENT_ADDRESS_HEADER)).toBeNull();
    // The body goes along.
    await expect(wrapped.json()).resolves.toEqual({ email: 'a@b.test' });
  });
});
