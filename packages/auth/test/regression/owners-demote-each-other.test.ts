/**
 * Two owners of one workspace demote (or remove) each other at the same moment. Each change
 * checked "not the only owner" and saw the other still an owner, so both committed and the
 * workspace was left with no owner, which nobody but a platform admin could repair. Migration 0026
 * serializes owner changes per tenant in the database and counts again after the wait.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyError } from '@studio/tenancy';
import type { Membership } from '@studio/tenancy/request';
import { changeMemberRole, removeTenantMember } from '../../src/members';
import { authWorld, ORIGIN, type AuthWorld } from '../helpers';

let w: AuthWorld;
let authA: postgres.Sql;
let authB: postgres.Sql;
const ids: Record<string, string> = {};
const headers: Record<string, Headers> = {};

const owners = async () =>
  (await w.owner<{ n: number }[]>`select count(*)::int as n from memberships where tenant_id = ${w.ids.acme} and role = 'owner'`)[0]!.n;
const memberId = async (email: string) =>
  (await w.owner<{ id: string }[]>`select m.id from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids.acme}`)[0]!.id;
const both = async () => {
  await w.owner`update memberships set role = 'owner' where tenant_id = ${w.ids.acme} and user_id in (${ids['alice@acme.test']!}, ${ids['dave@example.test']!})`;
};

beforeAll(async () => {
  w = await authWorld();
  for (const row of await w.owner<{ id: string; email: string }[]>`select id, email from users`) ids[row.email] = row.id;
  // The auth library's role, twice: two requests on two connections.
  authA = postgres(w.testDb.urls.auth, { max: 1, onnotice: () => {} });
  authB = postgres(w.testDb.urls.auth, { max: 1, onnotice: () => {} });
  for (const email of ['alice@acme.test', 'dave@example.test']) headers[email] = new Headers({ cookie: await w.signIn(email), origin: ORIGIN });
}, 60_000);

afterAll(async () => {
  await authA?.end();
  await authB?.end();
  await w?.close();
});

describe('two owners stepping down at once (migration 0026)', () => {
  it('in SQL: the second demotion waits for the first, sees it, and is refused', async () => {
    await both();
    const alice = await memberId('alice@acme.test');
    const dave = await memberId('dave@example.test');
    const first = authA.reserve();
    const a = await first;
    await a`begin`;
    await a`update memberships set role = 'admin' where id = ${alice}`;
    // B's demotion of the other owner blocks on A's lock, then counts the owners A left: none but dave.
    const second = authB.begin((b) => b`update memberships set role = 'admin' where id = ${dave}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a`commit`;
    a.release();
    await expect(second).rejects.toMatchObject({ code: '23514', message: expect.stringContaining('keeps at least one owner') });
    expect(await owners()).toBe(1);
  });

  it('in SQL: removing the other owner while one steps down is refused the same way', async () => {
    await both();
    const a = await authA.reserve();
    await a`begin`;
    await a`update memberships set role = 'member' where id = ${await memberId('alice@acme.test')}`;
    const second = authB.begin(async (b) => b`delete from memberships where id = ${await memberId('dave@example.test')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a`commit`;
    a.release();
    await expect(second).rejects.toMatchObject({ code: '23514' });
    expect(await owners()).toBe(1);
  });

  it('through the members page: of two owners demoting each other at once, one change holds and the other is refused in words', async () => {
    for (let round = 0; round < 5; round++) {
      await both();
      const actor = (email: string): Membership => ({ tenantId: w.ids.acme, userId: ids[email]!, role: 'owner' });
      const results = await Promise.allSettled([
        changeMemberRole(w.auth, headers['alice@acme.test']!, actor('alice@acme.test'), await memberId('dave@example.test'), 'member'),
        changeMemberRole(w.auth, headers['dave@example.test']!, actor('dave@example.test'), await memberId('alice@acme.test'), 'member'),
      ]);
      expect(await owners(), `round ${round}`).toBe(1);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      // Refused in words: by the database's count (the two met), or by the library when the other
      // change landed first and the caller is no owner any more. Never a server error.
      const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as unknown;
      expect(TenancyError.is(refused), String(refused)).toBe(true);
      expect((refused as Error).message).toMatch(/\w+ \w+/);
    }
  });

  it('still lets the owner role erase or fix memberships by hand, and a tenant go with its members', async () => {
    await both();
    // The owner role (erasure, imports, a person fixing data) is not bound.
    await w.owner`update memberships set role = 'member' where tenant_id = ${w.ids.acme}`;
    expect(await owners()).toBe(0);
    await both();
    // A brand-new tenant whose only owner leaves with the tenant: nothing to keep.
    const tenant = randomUUID();
    await w.owner`insert into tenants (id, slug, name) values (${tenant}, ${`gone-${tenant.slice(0, 8)}`}, 'Gone')`;
    await w.owner`insert into memberships (tenant_id, user_id, role) values (${tenant}, ${ids['alice@acme.test']!}, 'owner')`;
    await w.owner`delete from tenants where id = ${tenant}`;
    expect(await w.owner`select 1 from memberships where tenant_id = ${tenant}`).toHaveLength(0);
    // The only owner cannot be removed by the auth role, whoever asks.
    await w.owner`update memberships set role = 'member' where tenant_id = ${w.ids.acme} and user_id = ${ids['dave@example.test']!}`;
    await expect(authA`delete from memberships where id = ${await memberId('alice@acme.test')}`).rejects.toMatchObject({ code: '23514' });
    const dave: Membership = { tenantId: w.ids.acme, userId: ids['dave@example.test']!, role: 'member' };
    await expect(removeTenantMember(w.auth, headers['dave@example.test']!, dave, await memberId('alice@acme.test'))).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
  });
});
