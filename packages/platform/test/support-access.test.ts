/**
 * Support access as the tenant sees it (issue 23 item 4): break-glass grants read back through the
 * product role's scoped client from the tenant's own trail (openSupportGrants, auditActorNames of
 * @studio/tenancy/audit): open while open, gone once ended, replaced or expired, never another
 * tenant's, with the admin's name, the reason, the expiry and the mode; the product role reads no
 * grant row and no other tenant's trail, by the function or by raw SQL.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminDatabase, createBreakGlass, type AdminDatabase, type BreakGlass } from '../src/index';
import { audit, auditActorNames, auditTrail, describeSupportAccess, openSupportGrants, SUPPORT_ACCESS_LONGEST_MINUTES } from '@studio/tenancy/audit';
import { createDatabase, type Database } from '@studio/tenancy';
import type { RequestSession } from '@studio/tenancy/request';
import { BREAK_GLASS_MINUTES } from '../src/break-glass';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;
let lessonsDb: Database;
let admin: AdminDatabase;
let breakGlass: BreakGlass;
let platformAdmin: RequestSession;
let secondAdmin: RequestSession;

async function session(email: string): Promise<RequestSession> {
  const [user] = await seeded.su<{ id: string; name: string; is_platform_admin: boolean }[]>`select id, name, is_platform_admin from users where email = ${email}`;
  return { sessionId: `test-${email}`, userId: user!.id, email, name: user!.name, isPlatformAdmin: user!.is_platform_admin, activeTenantId: null };
}

/** What a member's request of `tenantId` sees: the product role's scoped client (RLS mode, as invoices). */
async function openFor(tenantId: string, now?: Date) {
  return openSupportGrants(await db.tenant(tenantId), now ? { now } : {});
}

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
  lessonsDb = createDatabase({ url: seeded.testDb.urls.app, mode: 'app', applicationName: 'lessons', tenantCache: { listen: false } });
  admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
  breakGlass = createBreakGlass({ admin, db });
  platformAdmin = await session('admin@studio.test');
  // A second platform admin (dave is a member nowhere relevant here; made an admin for the test).
  await seeded.su`update users set is_platform_admin = true where email = 'dave@example.test'`;
  secondAdmin = await session('dave@example.test');
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await lessonsDb?.close();
  await db?.close();
  await seeded?.close();
});

describe('open support grants, as the tenant reads them', () => {
  it('no break-glass duration is longer than the products look back', () => {
    expect(Math.max(...BREAK_GLASS_MINUTES)).toBeLessThanOrEqual(SUPPORT_ACCESS_LONGEST_MINUTES);
  });

  it('shows an open grant to its tenant only: who, why, until when, read-only', async () => {
    await expect(openFor(seeded.ids.globex)).resolves.toEqual([]);
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 5101: totals look wrong', minutes: 30, allowWrites: false });
    const open = await openFor(seeded.ids.globex);
    expect(open).toEqual([
      {
        grantId: grant.id,
        adminId: platformAdmin.userId,
        adminName: platformAdmin.name,
        adminEmail: 'admin@studio.test',
        reason: 'Ticket 5101: totals look wrong',
        grantedAt: expect.any(Date),
        expiresAt: grant.expiresAt,
        allowWrites: false,
      },
    ]);
    // The same through a guard-only client (lessons' mode).
    await expect(openSupportGrants(await lessonsDb.tenant(seeded.ids.globex))).resolves.toMatchObject([{ grantId: grant.id }]);
    // Another tenant sees nothing of it.
    await expect(openFor(seeded.ids.acme)).resolves.toEqual([]);
    await expect(openSupportGrants(await lessonsDb.tenant(seeded.ids.initech))).resolves.toEqual([]);
    // A read-only client (a read-only tenant, a support look) reads it too.
    await expect(openSupportGrants(await db.tenant(seeded.ids.globex, { readOnly: true }))).resolves.toHaveLength(1);
  });

  it('is gone once it has expired', async () => {
    const [open] = await openFor(seeded.ids.globex);
    expect(open).toBeDefined();
    await expect(openFor(seeded.ids.globex, new Date(open!.expiresAt.getTime() - 1000))).resolves.toHaveLength(1);
    await expect(openFor(seeded.ids.globex, new Date(open!.expiresAt.getTime() + 1))).resolves.toEqual([]);
  });

  it('shows a grant with writes, replacing the same admin\'s earlier one, next to another admin\'s', async () => {
    const [earlier] = await openFor(seeded.ids.globex);
    const writes = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 5102: void a duplicate invoice', minutes: 15, allowWrites: true });
    const [row] = (await auditTrail(await db.tenant(seeded.ids.globex), { action: 'support_access.grant', limit: 1 })).events;
    expect(row!.payload).toMatchObject({ replaces: [earlier!.grantId], allowWrites: true, adminName: platformAdmin.name });
    const other = await breakGlass.grant(secondAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 5103: second opinion on totals', minutes: 60, allowWrites: false });
    const open = await openFor(seeded.ids.globex);
    expect(open.map((g) => [g.grantId, g.allowWrites, g.adminEmail])).toEqual([
      [other.id, false, 'dave@example.test'],
      [writes.id, true, 'admin@studio.test'],
    ]);
  });

  it('is gone once the admin ends it', async () => {
    await breakGlass.end(secondAdmin, seeded.ids.globex);
    await expect(openFor(seeded.ids.globex)).resolves.toMatchObject([{ adminEmail: 'admin@studio.test', allowWrites: true }]);
    await breakGlass.end(platformAdmin, seeded.ids.globex);
    await expect(openFor(seeded.ids.globex)).resolves.toEqual([]);
  });

  it("reads an old grant row (no name, no mode) as read-only until its expiry", async () => {
    const tdb = await db.tenant(seeded.ids.initech, { actor: { userId: platformAdmin.userId } });
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    await audit(tdb, { action: 'support_access.grant', target: '00000000-0000-4000-8000-000000000001', payload: { grantId: '00000000-0000-4000-8000-000000000001', adminEmail: 'admin@studio.test', reason: 'Old ticket', expiresAt: expiresAt.toISOString() } });
    await expect(openFor(seeded.ids.initech)).resolves.toMatchObject([{ adminName: null, adminEmail: 'admin@studio.test', allowWrites: false, reason: 'Old ticket', expiresAt }]);
    await audit(tdb, { action: 'support_access.end', target: '00000000-0000-4000-8000-000000000001', payload: { grantId: '00000000-0000-4000-8000-000000000001' } });
    await expect(openFor(seeded.ids.initech)).resolves.toEqual([]);
  });
});

describe('what the product role can read of it, by raw SQL', () => {
  it('no grant row, and no other tenant\'s trail', async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.globex, reason: 'Ticket 5104: raw SQL check', minutes: 15, allowWrites: false });
    const asApp = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      await expect(asApp`select * from break_glass_grants`).rejects.toMatchObject({ code: '42501' });
      // With acme's context: acme's trail only, nothing of globex's grant.
      const seen = await asApp.begin(async (sql) => {
        await sql`select set_config('app.tenant_context', ${tenantContextValue(seeded.ids.acme)}, true)`;
        return sql<{ tenant_id: string }[]>`select tenant_id from audit_events where action like 'support_access.%' or target = ${grant.id}`;
      });
      expect(seen.filter((r) => r.tenant_id !== seeded.ids.acme)).toEqual([]);
      expect(seen).toHaveLength(0);
      // Without a context: nothing at all.
      await expect(asApp`select count(*)::int as n from audit_events`).resolves.toEqual([{ n: 0 }]);
      // With globex's own context: the grant row is there.
      const own = await asApp.begin(async (sql) => {
        await sql`select set_config('app.tenant_context', ${tenantContextValue(seeded.ids.globex)}, true)`;
        return sql<{ n: number }[]>`select count(*)::int as n from audit_events where target = ${grant.id} and action = 'support_access.grant'`;
      });
      expect(own).toEqual([{ n: 1 }]);
    } finally {
      await asApp.end();
      await breakGlass.end(platformAdmin, seeded.ids.globex);
    }
  });
});

describe('actor names in the trail', () => {
  it('names members, the support person (with the reason in the sentence), and a former member by their address', async () => {
    const grant = await breakGlass.grant(platformAdmin, { tenantId: seeded.ids.acme, reason: 'Ticket 5105: export looks empty', minutes: 30, allowWrites: false });
    await breakGlass.open(platformAdmin, seeded.ids.acme, { viewing: 'customers' });
    const tdb = await db.tenant(seeded.ids.acme);
    const gone = '00000000-0000-4000-8000-0000000000aa';
    const unknown = '00000000-0000-4000-8000-0000000000bb';
    await audit(tdb, { action: 'member.remove', target: 'm1', payload: { userId: gone, email: 'gone@acme.test' } });
    await audit(await db.tenant(seeded.ids.acme, { actor: { userId: gone } }), { action: 'customer.update', target: 'c1', payload: { name: 'X' } });
    await audit(await db.tenant(seeded.ids.acme, { actor: { userId: unknown } }), { action: 'customer.update', target: 'c2', payload: { name: 'Y' } });
    const [alice] = await seeded.su<{ id: string; name: string }[]>`select id, name from users where email = 'alice@acme.test'`;
    await audit(await db.tenant(seeded.ids.acme, { actor: { userId: alice!.id } }), { action: 'customer.update', target: 'c3', payload: { name: 'Z' } });

    // Only the newest few, so the support person is named from an older row of the trail.
    const page = await auditTrail(tdb, { limit: 4 });
    const support = (await auditTrail(tdb, { actorId: platformAdmin.userId, limit: 10 })).events;
    const members = [{ userId: alice!.id, name: alice!.name, email: 'alice@acme.test' }];
    const nameOf = await auditActorNames(tdb, [...page.events, { actorId: platformAdmin.userId, action: 'invoice.status_change', payload: {} }], members);
    const labels = page.events.map((e) => [e.action, e.target, nameOf(e).label]);
    expect(labels).toEqual([
      ['customer.update', 'c3', `${alice!.name} <alice@acme.test>`],
      ['customer.update', 'c2', 'a former member'],
      ['customer.update', 'c1', 'a former member (gone@acme.test)'],
      ['member.remove', 'm1', 'the system'],
    ]);
    expect(nameOf({ actorId: platformAdmin.userId, action: 'invoice.status_change', payload: {} })).toMatchObject({ kind: 'support', label: `Support: ${platformAdmin.name} (admin@studio.test)` });
    // The grant's and the look's sentences name the reason, the expiry and the mode.
    const when = (d: Date) => d.toISOString();
    expect(support.map((e) => describeSupportAccess(e, when))).toEqual([
      'looked at customers under support access (read-only): Ticket 5105: export looks empty',
      `opened support access (read-only) until ${grant.expiresAt.toISOString()}: Ticket 5105: export looks empty`,
    ]);
    await breakGlass.end(platformAdmin, seeded.ids.acme);
    const [ended] = (await auditTrail(tdb, { action: 'support_access.end', limit: 1 })).events;
    expect(describeSupportAccess(ended!, when)).toBe('ended support access early: Ticket 5105: export looks empty');
    expect(ended!.payload).toMatchObject({ adminName: platformAdmin.name, adminEmail: 'admin@studio.test', allowWrites: false });
  });

  it('filters the trail by a kind of action', async () => {
    const tdb = await db.tenant(seeded.ids.acme);
    const { events } = await auditTrail(tdb, { actions: ['support_access.grant', 'support_access.end'], limit: 50 });
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['support_access.grant', 'support_access.end']));
    await expect(auditTrail(tdb, { actions: [] })).resolves.toMatchObject({ events: [] });
  });
});
