/**
 * The admin console in real Chromium: the built app (standalone output) on a throw-away database
 * with the demo tenants, connecting as the app role and, for cross-tenant reads, the admin role.
 * A non-admin is refused; the platform admin's reads land in the audit trail; break-glass access
 * to a tenant is recorded in that tenant's own trail, read-only, and refused once expired.
 * Screenshots of each page go to artifacts/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '@studio/auth';
import type { TestDatabase } from '@studio/db-schema/testing';
import type { Browser, Page } from 'playwright-core';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { browserProfiles, demoDatabase, submitSignIn, type DemoDatabase } from '../src/session';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let demo: DemoDatabase;
let db: TestDatabase;
let profiles: ReturnType<typeof browserProfiles>;
let su: postgres.Sql;
let app: RunningApp;
/** The invoices app, where a first owner invited from the console accepts. */
let invoices: RunningApp;
let browser: Browser;
let storage: string;
let origin: string;
let adminId: string;
const ids: Record<string, string> = {};

/** Signs in on the console's sign-in page; the form then goes to `next` (default: the tenant list). */
async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${origin}/`), page.click('[data-testid="sign-in"] button')]);
}

async function adminName(): Promise<string> {
  return (await su<{ name: string }[]>`select name from users where email = 'admin@studio.test'`)[0]!.name;
}

async function platformEvents(action: string, slug?: string) {
  return su<{ actor_id: string; tenant_id: string | null; tenant_slug: string | null; payload: Record<string, unknown> }[]>`
    select actor_id, tenant_id, tenant_slug, payload from platform_events
    where action = ${action} ${slug ? su`and tenant_slug = ${slug}` : su``} order by created_at`;
}

describe.skipIf(!hasChromium)('admin console in Chromium', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    ({ db, su } = demo);
    Object.assign(ids, demo.ids);
    adminId = (await su<{ id: string }[]>`select id from users where email = 'admin@studio.test'`)[0]!.id;
    storage = await mkdtemp(path.join(os.tmpdir(), 'studio-admin-e2e-'));
    await buildApps(['admin', 'invoices']);
    invoices = await startApp('invoices', db.urls.app, { STUDIO_TRUSTED_PROXIES: '1' });
    // The console connects twice: as the app role (sessions, a tenant's scoped client) and as the
    // admin role (BYPASSRLS) for cross-tenant reads. Its owner invitations link to the invoices app.
    app = await startApp('admin', db.urls.app, {
      DATABASE_ADMIN_URL: db.urls.admin,
      STUDIO_STORAGE_DIR: storage,
      ADMIN_INVITATION_URL: `http://{tenant}.localhost:${invoices.port}/invite/{id}`,
    });
    origin = app.origin();
    browser = await launchChromium();
    profiles = browserProfiles(browser, { width: 1200, subnet: '198.51.101' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await invoices?.stop();
    await demo?.drop();
    if (storage) await rm(storage, { recursive: true, force: true });
  });

  // A fresh browser profile per test (no cookie carries over), each its own client address.
  const fresh = () => profiles.fresh();

  it('sends nobody signed in to sign-in, and refuses a signed-in non-admin with a 403 page', async () => {
    const page = await fresh();
    await page.goto(`${origin}/tenants/acme/members`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/tenants/acme/members');
    await screenshot(page, 'admin-sign-in');

    await page.goto(`${origin}/sign-in`);
    // Her password is right; she is signed in, and the console answers 403.
    const answer = await submitSignIn(page, 'alice@acme.test', '/');
    expect(answer.status()).toBe(403);
    await page.getByTestId('forbidden').waitFor();
    await expect(page.locator('body').textContent()).resolves.toContain('alice@acme.test');
    await expect(page.locator('[data-testid="tenants"]').count()).resolves.toBe(0);
    await screenshot(page, 'admin-forbidden');
    for (const path of ['/tenants/acme/members', '/audit', '/tenants/globex/data']) {
      expect((await page.goto(`${origin}${path}`))?.status(), path).toBe(403);
    }
    // Refused before any read: nothing was read or recorded as her.
    const [byAlice] = await su<{ n: number }[]>`select count(*)::int as n from platform_events e join users u on u.id = e.actor_id where u.email = 'alice@acme.test'`;
    expect(byAlice!.n).toBe(0);
  });

  it("shows the platform admin every tenant with its size; reading acme's members lands in the audit trail", async () => {
    const page = await fresh();
    await signIn(page, 'admin@studio.test');
    const rows = page.locator('[data-testid="tenants"] tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(page.getByTestId('tenant-acme').getByTestId('members').textContent()).resolves.toBe('2');
    // acme: 12 customers, 40 invoices with 60 lines (every other one has two), 6 lesson plans, no audit events yet.
    await expect(page.getByTestId('tenant-acme').getByTestId('rows').textContent()).resolves.toBe('118');
    await screenshot(page, 'admin-tenants');
    expect(await platformEvents('admin.read.tenants')).toHaveLength(1);
    // The charts: drawn on the server as SVG images with a title and a description, the numbers in a hidden table.
    const sizes = page.getByTestId('chart-sizes');
    await expect(sizes.locator('svg[role="img"] title').textContent()).resolves.toBe('Largest tenants (top 10)');
    await expect(sizes.locator('svg desc').textContent()).resolves.toContain('Acme Corp');
    const bars = await sizes.locator('[data-bar]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-bar'), Number(e.getAttribute('data-value'))]));
    expect(bars).toHaveLength(3);
    expect(bars.map(([, n]) => n)).toEqual([...bars.map(([, n]) => n)].sort((a, b) => (b as number) - (a as number)));
    expect(bars).toContainEqual(['Acme Corp', Number(await page.getByTestId('tenant-acme').getByTestId('rows').textContent())]);
    await expect(sizes.locator('.sr-only table tbody tr').count()).resolves.toBe(3);
    const activity = page.getByTestId('chart-activity');
    await expect(activity.locator('svg[role="img"] title').textContent()).resolves.toBe('Activity, last 30 days');
    await expect(activity.locator('svg path').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(activity.locator('.sr-only table tbody tr').count()).resolves.toBe(30);
    expect(await platformEvents('admin.read.activity')).toHaveLength(1);
    // No chart code in the browser: the page's scripts do not carry d3.
    const scripts = await page.locator('script[src]').evaluateAll((els) => els.map((e) => e.getAttribute('src')!));
    for (const src of scripts) expect(await (await page.context().request.get(`${origin}${src}`)).text(), src).not.toMatch(/scaleLinear|curveMonotoneX|d3-scale/);

    await page.getByTestId('tenant-acme').getByRole('link', { name: 'Acme Corp' }).click();
    await page.waitForURL(`${origin}/tenants/acme`);
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toContain('Acme Corp');
    await screenshot(page, 'admin-tenant-acme');

    await Promise.all([page.waitForURL(`${origin}/tenants/acme/members`), page.getByTestId('members-link').click()]);
    const members = await page.getByTestId('members').textContent();
    expect(members).toContain('alice@acme.test');
    expect(members).toContain('dave@example.test');
    expect(members).not.toContain('bob@globex.test');
    await screenshot(page, 'admin-members-acme');

    // The cross-tenant read, by SQL: one platform event naming the admin, acme and what was read.
    const reads = await platformEvents('admin.read.members', 'acme');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ actor_id: adminId, tenant_id: ids.acme, payload: { members: 2 } });

    // And in the console's audit trail, newest first.
    await page.goto(`${origin}/audit`);
    const trail = page.locator('[data-testid="audit-row"]');
    await trail.first().waitFor();
    const actions = await trail.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')}@${e.getAttribute('data-tenant')}`));
    expect(actions).toContain('admin.read.members@acme');
    expect(actions.indexOf('admin.read.members@acme')).toBeLessThan(actions.indexOf('admin.read.tenants@'));
    await expect(page.locator('[data-action="admin.read.members"]').first().textContent()).resolves.toContain('admin@studio.test');
    await screenshot(page, 'admin-audit-trail');

    // One tenant's trail: only acme.
    await page.goto(`${origin}/audit?tenant=acme`);
    await trail.first().waitFor();
    const tenantsShown = await trail.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-tenant')))]);
    expect(tenantsShown).toEqual(['acme']);
  });

  it("opens break-glass access to globex with a reason: in globex's own trail, read-only, refused after expiry", async () => {
    const page = await fresh();
    await signIn(page, 'admin@studio.test');
    await page.goto(`${origin}/tenants/globex`);
    // Without access, the data page is refused.
    expect((await page.goto(`${origin}/tenants/globex/data`))?.status()).toBe(403);
    await page.goto(`${origin}/tenants/globex`);

    // Too short a reason: refused on its field, nothing granted.
    await page.fill('[data-testid="break-glass"] textarea[name="reason"]', 'look');
    await page.click('[data-testid="break-glass"] button');
    await expect(page.getByTestId('error-reason').textContent()).resolves.toMatch(/at least 10 characters/);
    await screenshot(page, 'admin-break-glass-reason-error');
    expect(await su`select 1 from break_glass_grants`).toHaveLength(0);

    const reason = 'Ticket 4420: customer reports wrong invoice totals';
    await page.fill('[data-testid="break-glass"] textarea[name="reason"]', reason);
    await expect(page.inputValue('[data-testid="break-glass"] select[name="minutes"]')).resolves.toBe('30');
    await Promise.all([page.waitForURL(`${origin}/tenants/globex/data`), page.click('[data-testid="break-glass"] button')]);

    // Globex's data, read-only: its invoices only, and no edit controls.
    await expect(page.getByTestId('grant-mode').textContent()).resolves.toBe('Read-only');
    const numbers = await page.locator('[data-testid="tenant-invoices"] tbody tr td:first-child').allTextContents();
    expect(numbers).toHaveLength(20);
    expect(numbers.every((n) => n.startsWith('GLOBEX-'))).toBe(true);
    await expect(page.locator('[data-testid="invoice-status"]').count()).resolves.toBe(0);
    await screenshot(page, 'admin-break-glass-globex');

    // Globex's own audit trail (what its members see) names the admin, the reason and the expiry.
    const [grantRow] = await su<{ actor_id: string; target: string; payload: Record<string, unknown> }[]>`
      select actor_id, target, payload from audit_events where tenant_id = ${ids.globex!} and action = 'support_access.grant'`;
    expect(grantRow).toMatchObject({ actor_id: adminId, payload: { adminEmail: 'admin@studio.test', reason, allowWrites: false, minutes: 30 } });
    const [view] = await su<{ payload: Record<string, unknown> }[]>`
      select payload from audit_events where tenant_id = ${ids.globex!} and action = 'support_access.view' order by created_at desc limit 1`;
    expect(view!.payload).toMatchObject({ grantId: grantRow!.target, reason });
    expect(await su`select 1 from audit_events where tenant_id <> ${ids.globex!} and action like 'support_access.%'`).toHaveLength(0);
    expect(await platformEvents('admin.break_glass.grant', 'globex')).toHaveLength(1);

    // The console's trail of globex shows the tenant's row too.
    await page.goto(`${origin}/audit?tenant=globex&source=tenant`);
    await expect(page.locator('[data-action="support_access.grant"]').first().textContent()).resolves.toContain(reason);
    await screenshot(page, 'admin-audit-globex');

    // Expiry, without waiting half an hour: the grant's end moved to just after its start.
    await su`update break_glass_grants set expires_at = created_at + interval '1 millisecond' where tenant_id = ${ids.globex!}`;
    const refused = await page.goto(`${origin}/tenants/globex/data`);
    expect(refused?.status()).toBe(403);
    await page.getByTestId('no-access').waitFor();
    await expect(page.locator('[data-testid="tenant-invoices"]').count()).resolves.toBe(0);
    await screenshot(page, 'admin-break-glass-expired');

    // Writes only when asked for: a new grant with "allow writes" changes an invoice, audited as the admin.
    await page.goto(`${origin}/tenants/globex`);
    await page.fill('[data-testid="break-glass"] textarea[name="reason"]', 'Ticket 4421: void the duplicate invoice');
    await page.selectOption('[data-testid="break-glass"] select[name="minutes"]', '15');
    await page.check('[data-testid="break-glass"] input[name="allowWrites"]');
    await Promise.all([page.waitForURL(`${origin}/tenants/globex/data`), page.click('[data-testid="break-glass"] button')]);
    await expect(page.getByTestId('grant-mode').textContent()).resolves.toBe('Writes allowed');
    const first = page.locator('[data-testid="invoice-status"]').first();
    const invoiceId = await first.locator('input[name="invoiceId"]').inputValue();
    await first.locator('select[name="status"]').selectOption('void');
    await first.locator('button').click();
    await first.getByTestId('form-ok').waitFor();
    await expect(first.locator('select[name="status"]').inputValue()).resolves.toBe('void');
    const [invoice] = await su<{ status: string; tenant_id: string }[]>`select status, tenant_id from invoices where id = ${invoiceId}`;
    expect(invoice).toEqual({ status: 'void', tenant_id: ids.globex });
    const [change] = await su<{ actor_id: string }[]>`select actor_id from audit_events where tenant_id = ${ids.globex!} and action = 'invoice.status_change' and target = ${invoiceId}`;
    expect(change!.actor_id).toBe(adminId);
    await screenshot(page, 'admin-break-glass-writes');
    await Promise.all([page.waitForURL(`${origin}/tenants/globex`), page.getByTestId('end-access').locator('button').first().click()]);
    expect((await page.goto(`${origin}/tenants/globex/data`))?.status()).toBe(403);
  });

  it("creates a tenant with its owner's invitation (field errors first), suspends it after typing its slug, and reactivates it", async () => {
    const page = await fresh();
    await signIn(page, 'admin@studio.test');
    await page.goto(`${origin}/tenants/new`);
    await page.fill('[data-testid="new-tenant"] input[name="slug"]', 'admin');
    await page.fill('[data-testid="new-tenant"] input[name="ownerEmail"]', 'gavin@hooli');
    await page.click('[data-testid="new-tenant"] button');
    await expect(page.getByTestId('error-slug').textContent()).resolves.toMatch(/reserved/);
    await expect(page.getByTestId('error-name').textContent()).resolves.toBe('Give the tenant a name.');
    await expect(page.getByTestId('error-ownerEmail').textContent()).resolves.toMatch(/not an email address/);
    await screenshot(page, 'admin-new-tenant-errors');
    await page.fill('[data-testid="new-tenant"] input[name="slug"]', 'acme');
    await page.fill('[data-testid="new-tenant"] input[name="name"]', 'Acme again');
    await page.fill('[data-testid="new-tenant"] input[name="ownerEmail"]', 'gavin@hooli.test');
    await page.click('[data-testid="new-tenant"] button');
    // The form keeps its last answer until the next one arrives: wait for the new message.
    await page.getByTestId('error-slug').filter({ hasText: /is taken by another tenant/ }).waitFor();
    await page.fill('[data-testid="new-tenant"] input[name="slug"]', 'hooli');
    await page.fill('[data-testid="new-tenant"] input[name="name"]', 'Hooli');
    await page.click('[data-testid="new-tenant"] button');
    // Created, and its owner invited: the link to hand over, shown once.
    await page.getByTestId('tenant-created').waitFor();
    await expect(page.getByTestId('invite-link').inputValue()).resolves.toMatch(new RegExp(`^http://hooli\\.localhost:${invoices.port}/invite/[0-9a-f-]{36}$`));
    await screenshot(page, 'admin-new-tenant-invited');
    expect(await platformEvents('admin.tenant.create', 'hooli')).toHaveLength(1);
    expect(await platformEvents('admin.tenant.invite_owner', 'hooli')).toEqual([expect.objectContaining({ actor_id: adminId, payload: expect.objectContaining({ email: 'gavin@hooli.test' }) })]);
    await Promise.all([page.waitForURL(`${origin}/tenants/hooli`), page.getByTestId('open-tenant').click()]);
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toContain('Hooli');
    // No owner yet: the page says so, with the pending invitation (its address, never its link).
    await expect(page.getByTestId('pending-owner').textContent()).resolves.toContain('gavin@hooli.test');
    expect(await page.content()).not.toContain('/invite/');

    // Suspend: a dialog asks for the slug; its button stays disabled until it is typed.
    const dialog = page.getByRole('alertdialog');
    await page.getByTestId('open-confirm').click();
    await dialog.waitFor();
    await expect(dialog.getByTestId('confirm-action').isDisabled()).resolves.toBe(true);
    await dialog.getByTestId('confirm-text').fill('hool');
    await expect(dialog.getByTestId('confirm-action').isDisabled()).resolves.toBe(true);
    await dialog.getByTestId('confirm-text').fill('hooli');
    await screenshot(page, 'admin-confirm-suspend');
    // Typed, but no reason: refused on the reason's field, nothing changed.
    await dialog.getByTestId('confirm-action').click();
    await expect(page.getByTestId('error-suspendReason').textContent()).resolves.toMatch(/Say why/);
    expect(await su`select status from tenants where slug = 'hooli'`).toEqual([{ status: 'active' }]);
    // A forged submission (another slug in the confirmation, past the disabled button) is refused by the server.
    await page.fill('[data-testid="status-form"] input[name="suspendReason"]', 'Trial ended');
    await page.getByTestId('open-confirm').click();
    await dialog.getByTestId('confirm-text').fill('hooli');
    await dialog.getByTestId('confirm-text').evaluate((input) => {
      (input as unknown as { value: string }).value = 'acme';
    });
    await dialog.getByTestId('confirm-action').click();
    await expect(page.getByTestId('error-confirm').textContent()).resolves.toBe('Type hooli to confirm the suspension.');
    expect(await su`select status from tenants where slug = 'hooli'`).toEqual([{ status: 'active' }]);
    expect(await platformEvents('admin.tenant.suspend', 'hooli')).toHaveLength(0);
    // Confirmed: suspended.
    await page.getByTestId('open-confirm').click();
    await dialog.getByTestId('confirm-text').fill('hooli');
    await dialog.getByTestId('confirm-action').click();
    await page.getByTestId('form-ok').first().waitFor();
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toContain('suspended');
    await screenshot(page, 'admin-tenant-suspended');
    expect(await su`select status, status_reason from tenants where slug = 'hooli'`).toEqual([{ status: 'suspended', status_reason: 'Trial ended' }]);
    // A suspended tenant's owner is not invited (an invitee could not open it).
    await expect(page.getByTestId('no-owner').textContent()).resolves.toMatch(/Reactivate it first/);
    await expect(page.locator('[data-testid="invite-owner"]').count()).resolves.toBe(0);
    await page.click('[data-testid="status-form"] button');
    await page.getByTestId('form-ok').filter({ hasText: 'Hooli is active again.' }).waitFor();
    expect(await su`select status from tenants where slug = 'hooli'`).toEqual([{ status: 'active' }]);

    // An export of globex: started, done in the background (the page refreshes itself), downloadable.
    await page.goto(`${origin}/tenants/globex/exports`);
    await page.click('[data-testid="start-export"] button');
    await page.getByTestId('export-done').waitFor({ timeout: 30_000 });
    await screenshot(page, 'admin-exports-globex');
    const href = await page.getByTestId('download').getAttribute('href');
    const download = await page.context().request.get(`${origin}${href}`);
    expect(download.status()).toBe(200);
    const text = await download.text();
    expect(text).toContain(ids.globex);
    expect(text).not.toContain(ids.acme);
    expect(await platformEvents('admin.export.done', 'globex')).toHaveLength(1);
    expect(await platformEvents('admin.read.export_file', 'globex')).toHaveLength(1);
  });

  it("invites a new tenant's first owner, who accepts in the invoices app and lands as its owner", async () => {
    const page = await fresh();
    await signIn(page, 'admin@studio.test');
    await page.goto(`${origin}/tenants/new`);
    await page.fill('[data-testid="new-tenant"] input[name="slug"]', 'pied-piper');
    await page.fill('[data-testid="new-tenant"] input[name="name"]', 'Pied Piper');
    await page.fill('[data-testid="new-tenant"] input[name="ownerEmail"]', 'richard@piedpiper.test');
    await page.click('[data-testid="new-tenant"] button');
    const link = await page.getByTestId('invite-link').inputValue();
    // The console's mail (logged: no mail server here) holds the same link.
    expect(app.log()).toContain(`[mail] to richard@piedpiper.test: ${await adminName()} invited you to Pied Piper -> ${link}`);

    // The invitee, in a browser of their own: the invoices app's invite page, sign up, confirm the address, accept.
    const invitee = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.77' } }).then((c) => c.newPage());
    try {
      await invitee.goto(link);
      await expect(invitee.getByTestId('invitee').textContent()).resolves.toBe('richard@piedpiper.test');
      await invitee.fill('[data-testid="accept-invitation"] input[name="name"]', 'Richard');
      await invitee.fill('[data-testid="accept-invitation"] input[name="password"]', 'richard-password');
      await invitee.click('[data-testid="accept-invitation"] button');
      await invitee.getByTestId('confirm-address').waitFor();
      const confirm = /\[mail\] to richard@piedpiper\.test: Confirm your address -> (\S+)/.exec(invoices.log())?.[1];
      expect(confirm, "no confirmation mail in the invoices app's log").toBeTruthy();
      await invitee.goto(confirm!);
      expect(invitee.url()).toBe(link);
      await invitee.click('[data-testid="accept-invitation"] button');
      await invitee.getByTestId('tenant-name').waitFor();
      await expect(invitee.getByTestId('tenant-name').textContent()).resolves.toBe('Pied Piper');
      await screenshot(invitee, 'admin-first-owner-landed');
      // The owner can invite: the members page offers it.
      await invitee.goto(`http://pied-piper.localhost:${invoices.port}/members`);
      await invitee.locator('[data-testid="invite"]').waitFor();
    } finally {
      await invitee.context().close();
    }
    expect(
      await su`select m.role from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id where t.slug = 'pied-piper' and u.email = 'richard@piedpiper.test'`,
    ).toEqual([{ role: 'owner' }]);
    // The console sees an owner now, and offers no invitation.
    await page.goto(`${origin}/tenants/pied-piper`);
    await expect(page.locator('[data-testid="no-owner"]').count()).resolves.toBe(0);
    await expect(page.getByTestId('members-link').textContent()).resolves.toContain('(1)');
  });
  it("sets globex's language in the console: an English browser then reads and types its money the German way", async () => {
    const page = await fresh();
    await signIn(page, 'admin@studio.test');
    await page.goto(`${origin}/tenants/globex`);
    const form = page.getByTestId('locale-form');
    // Each choice says how an amount and a date read in it.
    await expect(form.locator('option[value="de-DE"]').textContent()).resolves.toMatch(/^German \(Germany\): 1\.234,50\s€/);
    await form.locator('select[name="locale"]').selectOption('de-DE');
    await form.locator('button').click();
    await form.getByText('now writes money and dates in de-DE').waitFor();
    await screenshot(page, 'admin-tenant-locale');
    expect(await su`select locale from tenants where slug = 'globex'`).toEqual([{ locale: 'de-DE' }]);
    expect((await platformEvents('admin.tenant.locale', 'globex')).at(-1)).toMatchObject({ actor_id: adminId, payload: { from: null, to: 'de-DE' } });

    // Bob, globex's owner, in a browser that asks for English: globex's own language wins.
    const reader = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.78' } }).then((c) => c.newPage());
    const globex = `http://globex.localhost:${invoices.port}`;
    const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
    try {
      await reader.goto(`${globex}/sign-in`);
      await submitSignIn(reader, 'bob@globex.test', '/');
      const [invoice] = await su<{ id: string; amount_cents: number; currency: string }[]>`
        select i.id, i.amount_cents, i.currency from invoices i join tenants t on t.id = i.tenant_id where t.slug = 'globex' order by i.id limit 1`;
      const german = plain(new Intl.NumberFormat('de-DE', { style: 'currency', currency: invoice!.currency }).format(invoice!.amount_cents / 100));
      // The invoices app hears of the change by NOTIFY, a moment after the console's commit.
      const deadline = Date.now() + 15_000;
      let shown = '';
      for (;;) {
        await reader.goto(`${globex}/invoices/${invoice!.id}`);
        shown = plain(await reader.getByTestId('invoice-amount').textContent());
        if (shown === german || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(shown).toBe(german);
      // The form takes a decimal comma from this English browser, and refuses '12.50' with what was meant.
      await reader.goto(`${globex}/invoices/new`);
      await reader.fill('input[name="lines.0.unitPrice"]', '1.234,50');
      expect(plain(await reader.getByTestId('lines-total').textContent())).toBe('1.234,50');
      await screenshot(reader, 'invoices-tenant-locale-de-DE');
    } finally {
      await reader.context().close();
    }

    // Back to each reader's own language.
    await form.locator('select[name="locale"]').selectOption('');
    await form.locator('button').click();
    await form.getByText("each reader's language").waitFor();
    expect(await su`select locale from tenants where slug = 'globex'`).toEqual([{ locale: null }]);
  });
});
