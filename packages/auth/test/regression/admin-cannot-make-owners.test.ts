/**
 * Authorization inside a tenant: an admin manages members but is not an owner, and must not be
 * able to make one, directly or through a second address. Better Auth's organization plugin and
 * our `mayInvite` rule say "only owners invite owners"; this holds the whole chain to it over
 * HTTP: inviting an owner, promoting someone (or oneself) to owner, and demoting the owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWorld, type AuthWorld } from '../helpers';

let w: AuthWorld;

beforeAll(async () => {
  w = await authWorld();
  // dave is a plain member of acme; make him an admin, as the owner would.
  await w.owner`
    update memberships set role = 'admin'
    where tenant_id = ${w.ids.acme} and user_id = (select id from users where email = 'dave@example.test')`;
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function roleIn(email: string): Promise<string | null> {
  const [row] = await w.owner<{ role: string }[]>`
    select m.role from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids.acme}`;
  return row?.role ?? null;
}

async function memberId(email: string): Promise<string> {
  const [row] = await w.owner<{ id: string }[]>`
    select m.id from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids.acme}`;
  return row!.id;
}

describe('an admin cannot make an owner', () => {
  it('cannot invite an owner (no invitation is sent)', async () => {
    const admin = await w.signIn('dave@example.test');
    const response = await w.call('/organization/invite-member', {
      cookie: admin,
      body: { email: 'second-address@associates.test', role: 'owner', organizationId: w.ids.acme },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(w.mailer.lastTo('second-address@associates.test')).toBeUndefined();
    const [pending] = await w.owner<{ n: number }[]>`
      select count(*)::int as n from invitations where tenant_id = ${w.ids.acme} and lower(email) = 'second-address@associates.test'`;
    expect(pending!.n).toBe(0);
  });

  it('cannot promote itself or another member to owner, nor demote the owner', async () => {
    const admin = await w.signIn('dave@example.test');
    for (const [email, role] of [
      ['dave@example.test', 'owner'],
      ['alice@acme.test', 'member'],
    ] as const) {
      const response = await w.call('/organization/update-member-role', {
        cookie: admin,
        body: { memberId: await memberId(email), role, organizationId: w.ids.acme },
      });
      expect(response.status, `${email} -> ${role}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(await roleIn('dave@example.test')).toBe('admin');
    expect(await roleIn('alice@acme.test')).toBe('owner');
  });

  it('the owner can (the control)', async () => {
    const owner = await w.signIn('alice@acme.test');
    const response = await w.call('/organization/invite-member', {
      cookie: owner,
      body: { email: 'co-owner@associates.test', role: 'owner', organizationId: w.ids.acme },
    });
    expect(response.status, await response.clone().text()).toBe(200);
  });
});
