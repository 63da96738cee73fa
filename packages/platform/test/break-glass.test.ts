/**
 * Break-glass support access (`@studio/tenancy/admin`): a reason, a time box, read-only unless
 * raised, recorded in the tenant's own audit trail and as platform events; refused once expired.
 */
import { customers, invoices } from '@studio/db-schema/schema';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakGlassError, createAdminDatabase, createBreakGlass, type AdminDatabase, type BreakGlass } from '../src/index';
import { auditTrail, verifyAuditChain } from '@studio/tenancy/audit';
import { createDatabase, TenantReadOnlyError, type Database } from '@studio/tenancy';
import { TenantRequestError, type RequestSession } from '@studio/tenancy/request';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;
let admin: AdminDatabase;
let breakGlass: BreakGlass;
let platformAdmin: RequestSession;
let alice: RequestSession;

async function session(email: string): Promise<RequestSession> {
  const [user] = await seeded.su<{ id: string; name: string; is_platform_admin: boolean }[]>`select id, name, is_platform_admin from users where email = ${email}`;
  return { sessionId: `test-${email}`, userId: user!.id, email, name: user!.name, isPlatformAdmin: user!.is_platform_admin, activeTenantId: null };
}

/** The tenant's trail as its own members read it: the app role's scoped client. */
async function tenantTrail(tenantId: string, action: string) {
  const page = await auditTrail(await db.tenant(tenantId), { action, limit: 500 });
  return page.events;
}

async function platformEventsOf(action: string) {
  return seeded.su<{ actor_id: string; tenant_id: string; tenant_slug: string; payload: Record<string, unknown> }[]>`
    select actor_id, tenant_id, tenant_slug, payload from platform_events where action = ${action} order by created_at`;
}

/** Makes a grant lapse without waiting: its expiry a millisecond after its creation (as a superuser). */
async function expire(grantId: string) {
  await seeded.su`update break_glass_grants set expires_at = created_at + interval '1 millisecond' where id = ${grantId}`;
}

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
  admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
  breakGlass = createBreakGlass({ admin, db });
  platformAdmin = await session('admin@studio.test');
  alice = await session('alice@acme.test');
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await db?.close();
  await seeded?.close();
});

describe('asking for access', () => {
  it('is for platform admins only', async () => {
    const error = await breakGlass.grant(alice, { tenantId: seeded.ids.globex, reason: 'Just curious about globex', minutes: 30, allowWrites: false }).catch((e: unknown) => e);
    expect(TenantRequestError.is(error) && error.status).toBe(403);
  });

  it.each([
    ['a missing reason', { reason: '   ', minutes: 30 }, 'reason'],
    ['a short reason', { reason: 'because', minutes: 30 }, 'reason'],
    ['a duration not on the list', { reason: 'Ticket 4411: invoices look wrong', minutes: 90 }, 'minutes'],
  ] as const)('refuses %s, naming the field', async (_name, input, field) => {
    const error = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, allowWrites: false, ...input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BreakGlassError);
    expect(error).toMatchObject({ code: 'BREAK_GLASS_INPUT', field });
  });

  it('refuses a suspended tenant', async () => {
    await seeded.owner`update tenants set status = 'suspended', status_reason = 'unpaid' where id = ${seeded.ids.initech}`;
    try {
      await expect(breakGlass.grant(platformAdmin, { tenantId: seeded.ids.initech, reason: 'Ticket 4412: cannot sign in', minutes: 30, allowWrites: false })).rejects.toMatchObject({
        code: 'BREAK_GLASS_INPUT',
        field: 'tenant',
      });
    } finally {
      await seeded.owner`update tenants set status = 'active', status_reason = null where id = ${seeded.ids.initech}`;
      db.forgetTenant(seeded.ids.initech);
    }
  });
});

describe('an active grant', () => {
  it("is written to the tenant's own audit trail, naming the admin, the reason, the expiry and the mode", async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 4413: totals look wrong', minutes: 30, allowWrites: false });
    expect(grant).toMatchObject({ tenantSlug: 'globex', adminEmail: 'admin@studio.test', allowWrites: false, revokedAt: null });
    const minutes = (grant.expiresAt.getTime() - grant.createdAt.getTime()) / 60_000;
    expect(minutes).toBeGreaterThan(29.9);
    expect(minutes).toBeLessThan(30.1);

    const [row] = await tenantTrail(seeded.ids.globex, 'support_access.grant');
    expect(row).toMatchObject({
      actorId: platformAdmin.userId,
      target: grant.id,
      payload: { adminEmail: 'admin@studio.test', reason: 'Ticket 4413: totals look wrong', expiresAt: grant.expiresAt.toISOString(), allowWrites: false, minutes: 30 },
    });
    // Written through the scoped client: the tenant's hash chain still verifies.
    await expect(verifyAuditChain(await db.tenant(seeded.ids.globex))).resolves.toMatchObject({ ok: true });
    // Nothing in another tenant's trail.
    expect(await tenantTrail(seeded.ids.acme, 'support_access.grant')).toEqual([]);

    const [event] = await platformEventsOf('admin.break_glass.grant');
    expect(event).toMatchObject({ actor_id: platformAdmin.userId, tenant_id: seeded.ids.globex, tenant_slug: 'globex', payload: { grantId: grant.id, reason: 'Ticket 4413: totals look wrong' } });
  });

  it('opens a read-only client that acts as the admin, and records each look', async () => {
    const { grant, tdb } = await breakGlass.open(platformAdmin, seeded.ids.globex, { viewing: 'invoices' });
    expect(await tdb.select().from(invoices)).toHaveLength(25);
    await expect(tdb.update(invoices).set({ status: 'void' }).where(eq(invoices.number, 'GLOBEX-0001'))).rejects.toBeInstanceOf(TenantReadOnlyError);
    await expect(tdb.insert(customers).values({ name: 'Support was here' })).rejects.toBeInstanceOf(TenantReadOnlyError);

    const looks = await tenantTrail(seeded.ids.globex, 'support_access.view');
    expect(looks[0]).toMatchObject({ actorId: platformAdmin.userId, target: grant.id, payload: { viewing: 'invoices', reason: grant.reason, adminEmail: 'admin@studio.test' } });
    expect((await platformEventsOf('admin.break_glass.view')).at(-1)).toMatchObject({ tenant_slug: 'globex', payload: { grantId: grant.id, viewing: 'invoices' } });
  });

  it("is the admin's own: another admin has none", async () => {
    const other = { ...platformAdmin, userId: (await session('dave@example.test')).userId, email: 'dave@example.test', isPlatformAdmin: true };
    await expect(breakGlass.active(other, seeded.ids.globex)).resolves.toBeNull();
    await expect(breakGlass.open(other, seeded.ids.globex, { viewing: 'invoices' })).rejects.toMatchObject({ code: 'BREAK_GLASS_REQUIRED' });
  });

  it('allows writes only when asked for, and replaces the earlier grant', async () => {
    const before = await breakGlass.active(platformAdmin, seeded.ids.globex);
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 4414: void a duplicate invoice', minutes: 15, allowWrites: true });
    const [replaced] = await seeded.su<{ revoked_at: Date | null }[]>`select revoked_at from break_glass_grants where id = ${before!.id}`;
    expect(replaced!.revoked_at).not.toBeNull();
    expect((await breakGlass.activeGrants(platformAdmin, seeded.ids.globex)).map((g) => g.id)).toEqual([grant.id]);

    const { tdb } = await breakGlass.open(platformAdmin, seeded.ids.globex, { viewing: 'invoice GLOBEX-0002' });
    await tdb
      .audited({ action: 'invoice.status_change', target: 'GLOBEX-0002', payload: { to: 'void', grantId: grant.id } })
      .update(invoices)
      .set({ status: 'void' })
      .where(eq(invoices.number, 'GLOBEX-0002'));
    const [changed] = await tenantTrail(seeded.ids.globex, 'invoice.status_change');
    expect(changed).toMatchObject({ actorId: platformAdmin.userId, payload: { grantId: grant.id } });
    const [grantRow] = await tenantTrail(seeded.ids.globex, 'support_access.grant');
    expect(grantRow!.payload).toMatchObject({ allowWrites: true, minutes: 15 });
  });
});

describe('when a grant ends', () => {
  it('refuses access once it has expired', async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.acme, reason: 'Ticket 4415: export looks empty', minutes: 30, allowWrites: false });
    await breakGlass.open(platformAdmin, seeded.ids.acme, { viewing: 'customers' });
    await expire(grant.id);
    await expect(breakGlass.active(platformAdmin, seeded.ids.acme)).resolves.toBeNull();
    const error = await breakGlass.open(platformAdmin, seeded.ids.acme, { viewing: 'customers' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BreakGlassError);
    expect((error as BreakGlassError).code).toBe('BREAK_GLASS_REQUIRED');
    expect((error as Error).message).toMatch(/Ask for access again/);
  });

  it('refuses access once the admin ended it, and tells the tenant', async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.initech, reason: 'Ticket 4416: check lesson plans', minutes: 60, allowWrites: false });
    const ended = await breakGlass.end(platformAdmin, seeded.ids.initech);
    expect(ended?.id).toBe(grant.id);
    expect(ended?.revokedAt).toBeInstanceOf(Date);
    await expect(breakGlass.open(platformAdmin, seeded.ids.initech, { viewing: 'lesson plans' })).rejects.toMatchObject({ code: 'BREAK_GLASS_REQUIRED' });
    const [row] = await tenantTrail(seeded.ids.initech, 'support_access.end');
    expect(row).toMatchObject({ actorId: platformAdmin.userId, target: grant.id });
    await expect(breakGlass.end(platformAdmin, seeded.ids.initech)).resolves.toBeNull();
  });
});

describe('the grants table', () => {
  it('lets the admin role end a grant but never extend or delete one', async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.acme, reason: 'Ticket 4417: the longest support call', minutes: 15, allowWrites: false });
    const asAdmin = postgres(seeded.testDb.urls.admin, { max: 1, onnotice: () => {} });
    try {
      await expect(asAdmin`update break_glass_grants set expires_at = expires_at + interval '1 day' where id = ${grant.id}`).rejects.toMatchObject({ code: '42501' });
      await expect(asAdmin`update break_glass_grants set allow_writes = true where id = ${grant.id}`).rejects.toMatchObject({ code: '42501' });
      await expect(asAdmin`delete from break_glass_grants where id = ${grant.id}`).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asAdmin.end();
    }
  });

  it('is invisible to the app role', async () => {
    const asApp = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      await expect(asApp`select * from break_glass_grants`).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asApp.end();
    }
  });
});
