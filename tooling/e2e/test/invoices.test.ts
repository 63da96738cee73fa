/**
 * The invoices app in real Chromium: the built app (standalone output) on a throw-away database
 * with the demo tenants, tenants on subdomains (acme.localhost:<port>). Screenshots of each page
 * go to artifacts/.
 */
import { seedDemoCredentials, DEMO_PASSWORD } from '@studio/auth';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let db: TestDatabase;
let su: postgres.Sql;
let app: RunningApp;
let browser: Browser;
const ids: Record<string, string> = {};

/** Every invoice id of a tenant, read as the superuser (FORCE RLS binds the owner). */
async function invoiceIds(slug: string): Promise<Set<string>> {
  const rows = await su<{ id: string }[]>`select i.id from invoices i join tenants t on t.id = i.tenant_id where t.slug = ${slug}`;
  return new Set(rows.map((r) => r.id));
}

/** The invoice ids the dashboard links to. */
async function listedInvoiceIds(page: Page): Promise<string[]> {
  const hrefs = await page.locator('[data-testid="invoices"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((href) => href.replace('/invoices/', ''));
}

async function signIn(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('[data-testid="sign-in"] button');
  // The form signs in with fetch, then goes to the dashboard.
  await page.getByTestId('tenant-name').waitFor();
  expect(page.url()).toBe(`${origin}/`);
}

describe.skipIf(!hasChromium)('invoices in Chromium', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.urls.owner);
    await seedDemoCredentials(db.urls.owner);
    su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    for (const row of await su<{ id: string; slug: string }[]>`select id, slug from tenants`) ids[row.slug] = row.id;
    await buildApps(['invoices']);
    app = await startApp('invoices', db.urls.app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await su?.end();
    await db?.drop();
  });

  // A fresh browser profile per test: no cookie carries over. Each is a different client to the
  // app's sign-in rate limit (Better Auth: 3 sign-ins per 10 s per address), as people are.
  let clients = 0;
  const fresh = async () => {
    await context?.close();
    clients++;
    context = await browser.newContext({ viewport: { width: 1100, height: 800 }, extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${clients}` } });
    return context.newPage();
  };

  it("shows an acme user only acme's invoices, and a globex invoice's URL answers 404", async () => {
    const page = await fresh();
    const acme = app.origin('acme');
    await page.goto(`${acme}/sign-in`);
    await screenshot(page, 'invoices-sign-in');
    await signIn(page, acme, 'alice@acme.test');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Acme Corp');
    await screenshot(page, 'invoices-dashboard-acme');

    const listed = await listedInvoiceIds(page);
    const acmeIds = await invoiceIds('acme');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((id) => !acmeIds.has(id))).toEqual([]);

    // Its own invoice opens.
    const response = await page.goto(`${acme}/invoices/${listed[0]}`);
    expect(response?.status()).toBe(200);
    await screenshot(page, 'invoices-invoice-acme');

    // Globex's invoice, by id, on acme's host: as unknown as a made-up id.
    const [globexInvoice] = [...(await invoiceIds('globex'))];
    const foreign = await page.goto(`${acme}/invoices/${globexInvoice}`);
    expect(foreign?.status()).toBe(404);
    await expect(page.locator('body').textContent()).resolves.not.toContain('Globex');
    await screenshot(page, 'invoices-foreign-invoice-404');
    expect((await page.goto(`${acme}/invoices/not-an-id`))?.status()).toBe(404);
  });

  it('refuses a non-member at globex.localhost', async () => {
    const page = await fresh();
    const globex = app.origin('globex');
    await page.goto(`${globex}/sign-in`);
    await page.fill('input[name="email"]', 'alice@acme.test');
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    // Her password is right, but she is not a member: the workspace answers 404 (not even
    // confirming what it holds), and no invoice is shown.
    const [answer] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.request().resourceType() === 'document'), page.click('[data-testid="sign-in"] button')]);
    expect(answer.status()).toBe(404);
    await expect(page.locator('[data-testid="invoices"]').count()).resolves.toBe(0);
    await screenshot(page, 'invoices-non-member-404');
    // The same by URL.
    expect((await page.goto(`${globex}/`))?.status()).toBe(404);
  });

  it("lets a user of two tenants switch, seeing each one's invoices", async () => {
    const page = await fresh();
    const acme = app.origin('acme');
    await signIn(page, acme, 'dave@example.test');
    const acmeIds = await invoiceIds('acme');
    const globexIds = await invoiceIds('globex');
    const inAcme = await listedInvoiceIds(page);
    expect(inAcme.length).toBeGreaterThan(0);
    expect(inAcme.every((id) => acmeIds.has(id))).toBe(true);

    // The switcher goes to globex's own address, which has its own sign-in.
    await Promise.all([page.waitForURL((url) => url.hostname === 'globex.localhost'), page.getByTestId('switch-globex').click()]);
    await screenshot(page, 'invoices-switch-to-globex');
    if (new URL(page.url()).pathname.startsWith('/sign-in')) await signIn(page, app.origin('globex'), 'dave@example.test');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Globex');
    const inGlobex = await listedInvoiceIds(page);
    expect(inGlobex.length).toBeGreaterThan(0);
    expect(inGlobex.every((id) => globexIds.has(id))).toBe(true);
    await screenshot(page, 'invoices-dashboard-globex');

    // And back: acme's session is still there.
    await page.getByTestId('switch-acme').click();
    await page.waitForURL((url) => url.hostname === 'acme.localhost');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Acme Corp');
  });

  it('lets an owner invite three associates, each of whom accepts and has a dashboard', async () => {
    const owner = await fresh();
    const acme = app.origin('acme');
    await signIn(owner, acme, 'alice@acme.test');
    await owner.goto(`${acme}/members`);
    const associates = [1, 2, 3].map((n) => `associate${n}-${Date.now()}@acme.test`);
    for (const email of associates) {
      await owner.fill('[data-testid="invite"] input[name="email"]', email);
      await owner.click('[data-testid="invite"] button');
      await owner.getByTestId('invited').filter({ hasText: `Invited ${email}.` }).waitFor();
    }
    await screenshot(owner, 'invoices-members-invited');

    for (const email of associates) {
      // The invitation mail: no mail server here, so the app logs it (the dev mailer).
      const link = new RegExp(`\\[mail\\] to ${email.replace(/[.+]/g, '\\$&')}: .* -> (\\S+)`).exec(app.log())?.[1];
      expect(link, `no invitation mail to ${email} in the app's log`).toMatch(new RegExp(`^${acme}/invite/`));
      const page = await context.browser()!.newContext({ extraHTTPHeaders: { 'x-forwarded-for': `203.0.113.${associates.indexOf(email) + 1}` } }).then((c) => c.newPage());
      try {
        await page.goto(link!);
        await expect(page.getByTestId('invitee').textContent()).resolves.toBe(email);
        await page.fill('[data-testid="accept-invitation"] input[name="name"]', `Associate ${email.slice(9, 10)}`);
        await page.fill('[data-testid="accept-invitation"] input[name="password"]', 'associate-password');
        if (email === associates[0]) await screenshot(page, 'invoices-accept-invitation');
        await page.click('[data-testid="accept-invitation"] button');
        await page.getByTestId('tenant-name').waitFor();
        await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Acme Corp');
        await expect(page.getByTestId('user-email').textContent()).resolves.toBe(email);
        expect((await listedInvoiceIds(page)).length).toBeGreaterThan(0);
      } finally {
        await page.context().close();
      }
    }
    await owner.goto(`${acme}/members`);
    const members = await owner.getByTestId('members').textContent();
    for (const email of associates) expect(members).toContain(email);
    await screenshot(owner, 'invoices-members');
  });
});
