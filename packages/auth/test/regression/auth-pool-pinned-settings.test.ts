/**
 * Issue 18 (red-team finding): the auth library's pool pinned no session settings, so
 * `alter role studio_auth set default_transaction_read_only = on`, run once with the auth
 * role's password, stopped every sign-in of every app. The pool now pins them like the scoped
 * client's. (Set per database here, so other test files' role is untouched.)
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWorld, type AuthWorld } from '../helpers';

let w: AuthWorld;
let su: postgres.Sql;

beforeAll(async () => {
  w = await authWorld();
  su = postgres(w.testDb.urls.migrate, { max: 1, onnotice: () => {} });
  // Before the auth pool's first connection: every connection it opens gets the role's defaults.
  await su.unsafe(`alter role ${w.testDb.roles.auth.name} in database "${w.testDb.name}" set default_transaction_read_only = on`);
});

afterAll(async () => {
  await su?.unsafe(`alter role ${w.testDb.roles.auth.name} in database "${w.testDb.name}" reset all`);
  await su?.end();
  await w?.close();
});

describe('settings the auth role gives itself', () => {
  it('do not stop a sign-in, which writes a session', async () => {
    const cookie = await w.signIn('alice@acme.test');
    expect(cookie).toContain('session');
    const [row] = await su<{ n: number }[]>`select count(*)::int as n from sessions`;
    expect(row!.n).toBeGreaterThan(0);
  });
});
