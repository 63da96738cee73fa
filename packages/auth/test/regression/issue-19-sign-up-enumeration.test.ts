/**
 * Issue 19: sign-up with a registered address answered USER_ALREADY_EXISTS, so any address could
 * be checked. Now a new and a registered address get the same answer, of the same shape; the
 * owner of the registered one is told by mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWorld, cookieFrom, type AuthWorld } from '../helpers';

let w: AuthWorld;

beforeAll(async () => {
  w = await authWorld();
}, 60_000);

afterAll(async () => {
  await w?.close();
});

/** The answer with what must differ (generated ids, times) replaced by their types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value === null ? null : typeof value;
}

describe('sign-up', () => {
  it('answers a registered address exactly as a new one', async () => {
    const signUp = (email: string) => w.call('/sign-up/email', { body: { email, password: 'a long password', name: 'Someone' } });
    const fresh = await signUp('newcomer@example.test');
    const taken = await signUp('alice@acme.test');
    expect(taken.status).toBe(fresh.status);
    expect(fresh.status).toBe(200);
    const [a, b] = [await fresh.json(), await taken.json()];
    expect(shape(b)).toEqual(shape(a));
    expect(JSON.stringify(b)).not.toMatch(/ALREADY_EXISTS|already/i);
    // Neither opens a session, so a cookie cannot tell them apart either.
    expect(cookieFrom(fresh)).toBe('');
    expect(cookieFrom(taken)).toBe('');
    expect([...fresh.headers.keys()].sort()).toEqual([...taken.headers.keys()].sort());
  });

  it('tells the owner of a registered address by mail, and leaves their password alone', async () => {
    await w.call('/sign-up/email', { body: { email: 'bob@globex.test', password: 'an intruder password', name: 'Not Bob' } });
    expect(w.mailer.lastTo('bob@globex.test')).toMatchObject({ subject: 'Someone tried to sign up with your address' });
    expect((await w.call('/sign-in/email', { body: { email: 'bob@globex.test', password: 'an intruder password' } })).status).toBe(401);
    await expect(w.signIn('bob@globex.test')).resolves.toMatch(/session_token/);
  });

  it('lets a newcomer sign in after signing up', async () => {
    await w.call('/sign-up/email', { body: { email: 'gina@example.test', password: 'gina password', name: 'Gina' } });
    await expect(w.signIn('gina@example.test', 'gina password')).resolves.toMatch(/session_token/);
  });
});
