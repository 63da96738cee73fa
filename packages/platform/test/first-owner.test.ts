/**
 * Issue 23: a tenant created in the console has no member, so nobody could invite its first
 * owner. inviteFirstOwner: who may (platform admins), when (an active tenant without an owner),
 * what it checks (the address, on its field) and what it records (a platform event without the
 * link). The invitation itself is the auth package's (createOwnerInvitation, the real accept path
 * in apps/admin/test/first-owner.test.ts); here a stand-in records what it was asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantRequestError, type RequestSession } from '@studio/tenancy/request';
import { createAdminDatabase, createTenant, inviteFirstOwner, pendingOwnerInvitation, setTenantStatus, TenantRegistryError, type AdminDatabase, type OwnerInviter } from '../src/index';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let admin: AdminDatabase;
let me: RequestSession;
let alice: RequestSession;

const calls: { tenantId: string; email: string; inviterId: string }[] = [];
const inviter: OwnerInviter = {
  async createOwnerInvitation(input) {
    calls.push(input);
    return { id: '00000000-0000-4000-8000-000000000001', email: input.email, expiresAt: new Date('2030-01-01T00:00:00Z'), link: `http://x.test/invite/secret-${calls.length}` };
  },
};

async function session(email: string): Promise<RequestSession> {
  const [user] = await seeded.su<{ id: string; name: string; is_platform_admin: boolean }[]>`select id, name, is_platform_admin from users where email = ${email}`;
  return { sessionId: `test-${email}`, userId: user!.id, email, name: user!.name, isPlatformAdmin: user!.is_platform_admin, activeTenantId: null };
}

const events = (slug: string) =>
  seeded.su<{ actor_id: string; payload: Record<string, unknown> }[]>`
    select actor_id, payload from platform_events where action = 'admin.tenant.invite_owner' and tenant_slug = ${slug} order by created_at, id`;

beforeAll(async () => {
  seeded = await seededDatabase();
  admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
  me = await session('admin@studio.test');
  alice = await session('alice@acme.test');
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await seeded?.close();
});

describe('inviteFirstOwner', () => {
  it('invites the owner of a new tenant and records the platform event without the link', async () => {
    const tenant = await createTenant(admin, me, { slug: 'hooli', name: 'Hooli' });
    const sent = await inviteFirstOwner(admin, me, inviter, { tenantId: tenant.id, email: '  Gavin@Hooli.Example ' });
    expect(calls.at(-1)).toEqual({ tenantId: tenant.id, email: 'gavin@hooli.example', inviterId: me.userId });
    expect(sent).toMatchObject({ tenant: { slug: 'hooli', name: 'Hooli' }, email: 'gavin@hooli.example', link: expect.stringContaining('/invite/') });
    const [event] = await events('hooli');
    expect(event).toEqual({ actor_id: me.userId, payload: { email: 'gavin@hooli.example', expiresAt: '2030-01-01T00:00:00.000Z' } });
    expect(JSON.stringify(event)).not.toContain('secret');
  });

  it('refuses a bad address on its field, before asking for any invitation', async () => {
    const [hooli] = await seeded.su<{ id: string }[]>`select id from tenants where slug = 'hooli'`;
    const before = calls.length;
    for (const email of ['', 'gavin', 'gavin@hooli', 'ga vin@hooli.example', `${'a'.repeat(250)}@x.io`]) {
      const refused = await inviteFirstOwner(admin, me, inviter, { tenantId: hooli!.id, email }).catch((e: unknown) => e);
      expect(refused, email).toBeInstanceOf(TenantRegistryError);
      expect((refused as TenantRegistryError).field).toBe('email');
    }
    expect(calls.length).toBe(before);
  });

  it('refuses anyone but a platform admin, before reading anything', async () => {
    const before = calls.length;
    await expect(inviteFirstOwner(admin, alice, inviter, { tenantId: seeded.ids.initech, email: 'x@y.test' })).rejects.toSatisfy((e) => TenantRequestError.is(e) && e.status === 403);
    await expect(inviteFirstOwner(admin, null as unknown as RequestSession, inviter, { tenantId: seeded.ids.initech, email: 'x@y.test' })).rejects.toSatisfy(
      (e) => TenantRequestError.is(e) && e.status === 401,
    );
    expect(calls.length).toBe(before);
  });

  it('refuses a tenant that has an owner: its owners invite from the members page', async () => {
    const refused = await inviteFirstOwner(admin, me, inviter, { tenantId: seeded.ids.acme, email: 'new@acme.test' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'TENANT_HAS_OWNER', message: expect.stringContaining('alice@acme.test') });
  });

  it('refuses a suspended tenant (an invitee could not open it), and an unknown one', async () => {
    const tenant = await createTenant(admin, me, { slug: 'pied-piper', name: 'Pied Piper' });
    await setTenantStatus(admin, me, tenant.id, { status: 'suspended', reason: 'Trial ended' });
    const before = calls.length;
    await expect(inviteFirstOwner(admin, me, inviter, { tenantId: tenant.id, email: 'richard@pp.test' })).rejects.toMatchObject({ code: 'TENANT_NOT_ACTIVE' });
    await expect(inviteFirstOwner(admin, me, inviter, { tenantId: '00000000-0000-4000-8000-0000000000aa', email: 'richard@pp.test' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    expect(calls.length).toBe(before);
    await setTenantStatus(admin, me, tenant.id, { status: 'active' });
    await inviteFirstOwner(admin, me, inviter, { tenantId: tenant.id, email: 'richard@pp.test' });
    expect(calls.length).toBe(before + 1);
  });

  it('records nothing when the invitation cannot be made', async () => {
    const tenant = await createTenant(admin, me, { slug: 'endframe', name: 'Endframe' });
    const broken: OwnerInviter = {
      async createOwnerInvitation() {
        throw new Error('auth database down');
      },
    };
    await expect(inviteFirstOwner(admin, me, broken, { tenantId: tenant.id, email: 'boss@endframe.test' })).rejects.toThrow('auth database down');
    expect(await events('endframe')).toHaveLength(0);
  });
});

describe('pendingOwnerInvitation', () => {
  it("reads the newest pending owner invitation of a tenant, without its id, and who sent it", async () => {
    const [hooli] = await seeded.su<{ id: string }[]>`select id from tenants where slug = 'hooli'`;
    expect(await admin.db.transaction((tx) => pendingOwnerInvitation(tx, hooli!.id))).toBeNull();
    await seeded.su`insert into invitations (tenant_id, email, role, status, expires_at, inviter_id)
      values (${hooli!.id}, 'old@hooli.example', 'owner', 'canceled', now() + interval '1 day', ${me.userId}),
             (${hooli!.id}, 'gavin@hooli.example', 'owner', 'pending', now() + interval '7 days', ${me.userId}),
             (${hooli!.id}, 'late@hooli.example', 'owner', 'pending', now() - interval '1 day', ${me.userId})`;
    const pending = await admin.db.transaction((tx) => pendingOwnerInvitation(tx, hooli!.id));
    expect(pending).toMatchObject({ email: 'gavin@hooli.example', invitedBy: 'admin@studio.test' });
    expect(Object.keys(pending!).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'invitedBy']);
  });
});
