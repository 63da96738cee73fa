/**
 * What the admin console builds on (`@studio/tenancy/admin`): audited cross-tenant reads, the
 * cross-tenant audit trail, tenant registry changes and background exports, each recorded as a
 * platform event by the admin role.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { invoices, memberships } from '@studio/db-schema/schema';
import { count, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditedRead,
  createAdminDatabase,
  createTenant,
  crossTenantTrail,
  isExportFileName,
  listTenantExports,
  PlatformEventError,
  setTenantLocale,
  setTenantStatus,
  startTenantExport,
  TenantRegistryError,
  type AdminDatabase,
} from '../src/index';
import { audit } from '@studio/tenancy/audit';
import { createDatabase, TenantSuspendedError, type Database } from '@studio/tenancy';
import { localFileStore, tenantStorage } from '@studio/tenancy/storage';
import { TenantRequestError, type RequestSession } from '@studio/tenancy/request';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let admin: AdminDatabase;
let db: Database;
let me: RequestSession;
let alice: RequestSession;
let storageDir: string;

async function session(email: string): Promise<RequestSession> {
  const [user] = await seeded.su<{ id: string; name: string; is_platform_admin: boolean }[]>`select id, name, is_platform_admin from users where email = ${email}`;
  return { sessionId: `test-${email}`, userId: user!.id, email, name: user!.name, isPlatformAdmin: user!.is_platform_admin, activeTenantId: null };
}

async function eventsOf(action: string) {
  return seeded.su<{ actor_id: string | null; tenant_id: string | null; tenant_slug: string | null; payload: Record<string, unknown> }[]>`
    select actor_id, tenant_id, tenant_slug, payload from platform_events where action = ${action} order by created_at, id`;
}

beforeAll(async () => {
  seeded = await seededDatabase();
  admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
  me = await session('admin@studio.test');
  alice = await session('alice@acme.test');
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'studio-admin-exports-'));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await admin?.close();
  await seeded?.close();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

describe('auditedRead', () => {
  it('returns the read and writes its platform event, with a payload computed from the result', async () => {
    const members = await auditedRead(
      admin,
      (tx) => tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.tenantId, seeded.ids.acme)),
      { actorId: me.userId, action: 'admin.read.members', tenantId: seeded.ids.acme, tenantSlug: 'acme', payload: (rows) => ({ members: rows.length }) },
    );
    expect(members).toHaveLength(2);
    expect((await eventsOf('admin.read.members')).at(-1)).toEqual({ actor_id: me.userId, tenant_id: seeded.ids.acme, tenant_slug: 'acme', payload: { members: 2 } });
  });

  it('reads nothing when the event is invalid, and returns nothing when it cannot be written', async () => {
    let ran = false;
    await expect(
      auditedRead(
        admin,
        async () => {
          ran = true;
        },
        { actorId: me.userId, action: 'Read Everything' },
      ),
    ).rejects.toBeInstanceOf(PlatformEventError);
    expect(ran).toBe(false);
    // Too big a payload, known only after the read: the read's transaction rolls back, and the caller gets the error.
    await expect(
      auditedRead(admin, (tx) => tx.select({ n: count() }).from(invoices), { actorId: me.userId, action: 'admin.read.invoices', payload: () => ({ blob: 'x'.repeat(70_000) }) }),
    ).rejects.toBeInstanceOf(PlatformEventError);
    expect(await eventsOf('admin.read.invoices')).toEqual([]);
  });
});

describe('crossTenantTrail', () => {
  beforeAll(async () => {
    // Tenant events in each demo tenant, and platform events, interleaved in time.
    for (const slug of ['acme', 'globex', 'initech', 'acme', 'globex'] as const) {
      await audit(await db.tenant(seeded.ids[slug]), { action: 'customer.create', target: `${slug}-customer` });
      await auditedRead(admin, async () => null, { actorId: me.userId, action: 'admin.read.tenant', tenantId: seeded.ids[slug], tenantSlug: slug });
    }
  });

  it('pages through platform and tenant events, newest first, each exactly once', async () => {
    const [total] = await seeded.su<{ n: number }[]>`select (select count(*) from platform_events) + (select count(*) from audit_events) as n`;
    const seen: { createdAt: Date; id: string; source: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await crossTenantTrail(admin.db, { limit: 3, cursor });
      seen.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(Number(total!.n));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(new Set(seen.map((e) => e.source))).toEqual(new Set(['platform', 'tenant']));
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(seen[i]!.createdAt.getTime());
  });

  it("shows one tenant's events only, with the actor's email", async () => {
    const page = await crossTenantTrail(admin.db, { tenantId: seeded.ids.globex, limit: 200 });
    expect(page.entries.length).toBeGreaterThanOrEqual(4);
    expect(page.entries.every((e) => e.tenantId === seeded.ids.globex && e.tenantSlug === 'globex')).toBe(true);
    expect(page.entries.find((e) => e.source === 'platform')).toMatchObject({ action: 'admin.read.tenant', actorEmail: 'admin@studio.test' });
    expect(page.entries.find((e) => e.source === 'tenant')).toMatchObject({ action: 'customer.create', target: 'globex-customer' });
    const tenantOnly = await crossTenantTrail(admin.db, { tenantId: seeded.ids.globex, source: 'tenant' });
    expect(tenantOnly.entries.every((e) => e.source === 'tenant')).toBe(true);
  });

  it('refuses a forged cursor', async () => {
    await expect(crossTenantTrail(admin.db, { cursor: Buffer.from("1|x' or true --").toString('base64url') })).rejects.toBeInstanceOf(PlatformEventError);
  });
});

describe('the tenant registry', () => {
  it('creates a tenant that products can use at once, with a platform event', async () => {
    const created = await createTenant(admin, me, { slug: 'hooli', name: '  Hooli  ' });
    expect(created).toMatchObject({ slug: 'hooli', name: 'Hooli' });
    const tdb = await db.tenant(created.id);
    expect(await tdb.select().from(invoices)).toEqual([]);
    expect((await eventsOf('admin.tenant.create')).at(-1)).toMatchObject({ actor_id: me.userId, tenant_id: created.id, tenant_slug: 'hooli', payload: { name: 'Hooli' } });
  });

  it.each([
    ['a slug with capitals', { slug: 'Hooli2', name: 'Hooli' }, 'slug', 'TENANT_INPUT_INVALID'],
    ['a reserved slug', { slug: 'admin', name: 'Admin' }, 'slug', 'TENANT_INPUT_INVALID'],
    ['a taken slug', { slug: 'acme', name: 'Acme again' }, 'slug', 'TENANT_SLUG_TAKEN'],
    ['an empty name', { slug: 'pied-piper', name: '  ' }, 'name', 'TENANT_INPUT_INVALID'],
  ] as const)('refuses %s, naming the field', async (_name, input, field, code) => {
    const error = await createTenant(admin, me, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantRegistryError);
    expect(error).toMatchObject({ field, code });
  });

  it('is changed by platform admins only', async () => {
    const error = await createTenant(admin, alice, { slug: 'alices-own', name: 'Alice' }).catch((e: unknown) => e);
    expect(TenantRequestError.is(error) && error.status).toBe(403);
  });

  it('suspends a tenant with a reason (its clients are refused) and reactivates it', async () => {
    await expect(setTenantStatus(admin, me, seeded.ids.initech, { status: 'suspended' })).rejects.toMatchObject({ field: 'reason' });
    await expect(setTenantStatus(admin, me, seeded.ids.initech, { status: 'suspended', reason: 'unpaid since October' })).resolves.toEqual({ slug: 'initech', from: 'active', to: 'suspended' });
    db.forgetTenant(seeded.ids.initech);
    await expect(db.tenant(seeded.ids.initech)).rejects.toBeInstanceOf(TenantSuspendedError);
    await setTenantStatus(admin, me, seeded.ids.initech, { status: 'active' });
    db.forgetTenant(seeded.ids.initech);
    await expect(db.tenant(seeded.ids.initech)).resolves.toBeTruthy();
    const [row] = await seeded.su<{ status: string; status_reason: string | null }[]>`select status, status_reason from tenants where id = ${seeded.ids.initech}`;
    expect(row).toEqual({ status: 'active', status_reason: null });
    expect((await eventsOf('admin.tenant.suspend')).at(-1)).toMatchObject({ tenant_slug: 'initech', payload: { from: 'active', to: 'suspended', reason: 'unpaid since October' } });
    expect((await eventsOf('admin.tenant.reactivate')).at(-1)).toMatchObject({ tenant_slug: 'initech', payload: { from: 'suspended', to: 'active' } });
  });

  it("sets a tenant's locale (canonical, one Intl formats in), clears it, and refuses anything else in words", async () => {
    await expect(setTenantLocale(admin, me, seeded.ids.globex, ' de-de ')).resolves.toEqual({ slug: 'globex', from: null, to: 'de-DE' });
    db.forgetTenant(seeded.ids.globex);
    await expect(db.tenant(seeded.ids.globex)).resolves.toMatchObject({ tenant: { locale: 'de-DE' } });
    expect((await eventsOf('admin.tenant.locale')).at(-1)).toMatchObject({ actor_id: me.userId, tenant_slug: 'globex', payload: { from: null, to: 'de-DE' } });
    for (const bad of ['xx-!!', 'de_DE', 'a'.repeat(60), "de'; drop table tenants; --"]) {
      const error = await setTenantLocale(admin, me, seeded.ids.globex, bad).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(TenantRegistryError);
      expect(error).toMatchObject({ code: 'TENANT_INPUT_INVALID', field: 'locale' });
    }
    const refused = await setTenantLocale(admin, alice, seeded.ids.globex, 'fr-FR').catch((e: unknown) => e);
    expect(TenantRequestError.is(refused) && refused.status).toBe(403);
    await expect(setTenantLocale(admin, me, seeded.ids.globex, '')).resolves.toEqual({ slug: 'globex', from: 'de-DE', to: null });
    expect(await seeded.su`select locale from tenants where id = ${seeded.ids.globex}`).toEqual([{ locale: null }]);
  });

  it("keeps a tenant's locale out of the product role's reach, and a malformed tag out of the table", async () => {
    // The product role reads tenants (its own name, status, locale) and changes none of it.
    const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      await expect(app`update tenants set locale = 'fr-FR' where id = ${seeded.ids.acme}`).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
    }
    // Even the admin role, by hand: the table's check refuses what is not a language tag.
    await expect(admin.db.execute(sql`update tenants set locale = 'x; y' where id = ${seeded.ids.acme}`)).rejects.toMatchObject({ cause: { code: '23514' } });
  });

  it('leaves the status of a tenant being moved to the move', async () => {
    await seeded.owner`insert into tenant_moves (tenant_id, from_placement, to_placement, step, previous_status) values (${seeded.ids.globex}, 'shared', 'eu-1', 'marked', 'active')`;
    try {
      await expect(setTenantStatus(admin, me, seeded.ids.globex, { status: 'suspended', reason: 'testing' })).rejects.toMatchObject({ code: 'TENANT_BUSY' });
    } finally {
      await seeded.owner`delete from tenant_moves where tenant_id = ${seeded.ids.globex}`;
    }
  });
});

describe('console exports', () => {
  it("runs in the background, stores the tenant's file in its own storage, and records start and end", async () => {
    const store = localFileStore(storageDir);
    const { run, done } = await startTenantExport({ admin, session: me, tenantId: seeded.ids.globex, urls: { shared: seeded.testDb.urls.app }, store });
    expect(run.status).toBe('running');
    expect(isExportFileName(run.file)).toBe(true);
    expect((await listTenantExports(admin.db, seeded.ids.globex))[0]).toMatchObject({ exportId: run.exportId, status: 'running' });

    const finished = await done;
    expect(finished).toMatchObject({ status: 'done', error: null });
    expect(finished.rows).toBeGreaterThan(25);
    const bytes = await tenantStorage({ tenantId: seeded.ids.globex }, store).get(['exports', run.file]);
    const text = Buffer.from(bytes!).toString('utf8');
    expect(text).toContain(seeded.ids.globex);
    expect(text).not.toContain(seeded.ids.acme);
    expect(text.trim().split('\n')).toHaveLength(finished.rows!);
    expect(await tenantStorage({ tenantId: seeded.ids.globex }, store).get(['exports', `${run.file}.manifest.json`])).not.toBeNull();

    const [listed] = await listTenantExports(admin.db, seeded.ids.globex);
    expect(listed).toMatchObject({ exportId: run.exportId, status: 'done', rows: finished.rows, startedBy: 'admin@studio.test' });
    expect((await eventsOf('admin.export.done')).at(-1)).toMatchObject({ actor_id: me.userId, tenant_slug: 'globex', payload: { exportId: run.exportId, rows: finished.rows } });
  });

  it('records a failure with a message that says what to do', async () => {
    const { done } = await startTenantExport({ admin, session: me, tenantId: seeded.ids.acme, urls: { shared: seeded.testDb.urls.app }, store: localFileStore(storageDir), maxBytes: 1000 });
    const failed = await done;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/pnpm studio tenants export acme/);
    expect((await listTenantExports(admin.db, seeded.ids.acme))[0]).toMatchObject({ status: 'failed', error: failed.error });
  });

  it('calls an export this process no longer runs interrupted', async () => {
    await seeded.su`insert into platform_events (actor_id, action, tenant_id, tenant_slug, payload)
      values (${me.userId}, 'admin.export.start', ${seeded.ids.initech}, 'initech', ${seeded.su.json({ exportId: '00000000-0000-4000-8000-000000000001', file: 'initech-20260101T000000Z.ndjson' })})`;
    expect((await listTenantExports(admin.db, seeded.ids.initech))[0]).toMatchObject({ status: 'interrupted' });
  });
});
