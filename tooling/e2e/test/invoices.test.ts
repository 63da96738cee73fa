/**
 * The invoices app in real Chromium: the built app (standalone output) on a throw-away database
 * with the demo tenants, tenants on subdomains (acme.localhost:<port>). Screenshots of each page
 * go to artifacts/.
 */
import { DEMO_PASSWORD } from '@studio/auth';
import * as schema from '@studio/db-schema/schema';
import { secretColumnsByTable } from '@studio/db-schema/table-kinds';
import type { TestDatabase } from '@studio/db-schema/testing';
import type { Browser, Page } from 'playwright-core';
import type postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { browserProfiles, demoDatabase, submitSignIn, type DemoDatabase } from '../src/session';
import { pdfFillColours, pdfText } from '../src/pdf';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let demo: DemoDatabase;
let db: TestDatabase;
let profiles: ReturnType<typeof browserProfiles>;
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

/** A GET from inside the page (its cookies, its origin; Chromium resolves *.localhost, Node does not). */
async function fetchInPage(page: Page, url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const answer = await page.evaluate(async (target) => {
    const response = await fetch(target);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: btoa(binary) };
  }, url);
  return { ...answer, body: Buffer.from(answer.body, 'base64') };
}

/** Opens the delete dialog of the page and confirms it. */
async function confirmDelete(page: Page): Promise<void> {
  await page.click('[data-testid="delete-form"] button');
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  await dialog.getByTestId('confirm-action').click();
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
  beforeAll(async () => {
    demo = await demoDatabase();
    ({ db, su } = demo);
    Object.assign(ids, demo.ids);
    await buildApps(['invoices']);
    app = await startApp('invoices', db.urls.app);
    browser = await launchChromium();
    profiles = browserProfiles(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await demo?.drop();
  });

  // A failing test shows what the server said.
  afterEach((test) => {
    if (test.task.result?.state === 'fail') console.error(`[invoices app log]\n${app.log().slice(-6000)}`);
  });

  // A fresh browser profile per test (no cookie carries over), each its own client address.
  const fresh = () => profiles.fresh();

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
    // Her password is right, but she is not a member: the workspace answers 404 (not even
    // confirming what it holds), and no invoice is shown.
    const answer = await submitSignIn(page, 'alice@acme.test', '/');
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

    // The switcher (a menu in the header) goes to globex's own address, which has its own sign-in.
    await page.getByTestId('workspace-switcher').click();
    await Promise.all([page.waitForURL((url) => url.hostname === 'globex.localhost'), page.getByTestId('switch-globex').click()]);
    await screenshot(page, 'invoices-switch-to-globex');
    if (new URL(page.url()).pathname.startsWith('/sign-in')) await signIn(page, app.origin('globex'), 'dave@example.test');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Globex');
    const inGlobex = await listedInvoiceIds(page);
    expect(inGlobex.length).toBeGreaterThan(0);
    expect(inGlobex.every((id) => globexIds.has(id))).toBe(true);
    await screenshot(page, 'invoices-dashboard-globex');

    // And back: acme's session is still there.
    await page.getByTestId('workspace-switcher').click();
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
    // The owner sees them pending, with who sent them (issue 19: pending invitations were never listed).
    await owner.goto(`${acme}/members`);
    const pending = await owner.getByTestId('pending-invitations').textContent();
    for (const email of associates) expect(pending).toContain(email);

    for (const email of associates) {
      // The invitation mail: no mail server here, so the app logs it (the dev mailer).
      const link = new RegExp(`\\[mail\\] to ${email.replace(/[.+]/g, '\\$&')}: .* -> (\\S+)`).exec(app.log())?.[1];
      expect(link, `no invitation mail to ${email} in the app's log`).toMatch(new RegExp(`^${acme}/invite/`));
      const page = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': `203.0.113.${associates.indexOf(email) + 1}` } }).then((c) => c.newPage());
      try {
        await page.goto(link!);
        await expect(page.getByTestId('invitee').textContent()).resolves.toBe(email);
        await page.fill('[data-testid="accept-invitation"] input[name="name"]', `Associate ${email.slice(9, 10)}`);
        await page.fill('[data-testid="accept-invitation"] input[name="password"]', 'associate-password');
        if (email === associates[0]) await screenshot(page, 'invoices-accept-invitation');
        await page.click('[data-testid="accept-invitation"] button');
        // Accepting needs the address confirmed (issue 19): the page asks for it, the link is mailed (logged here).
        await page.getByTestId('confirm-address').waitFor();
        if (email === associates[0]) await screenshot(page, 'invoices-confirm-address');
        const confirm = new RegExp(`\\[mail\\] to ${email.replace(/[.+]/g, '\\$&')}: Confirm your address -> (\\S+)`).exec(app.log())?.[1];
        expect(confirm, `no confirmation mail to ${email} in the app's log`).toMatch(new RegExp(`^${acme}/api/auth/verify-email\\?`));
        await page.goto(confirm!);
        expect(page.url()).toBe(link);
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
  it('keeps customers and invoices: create, edit, search, page through, delete, with field errors', async () => {
    const page = await fresh();
    // The delete buttons ask first, in a dialog (confirmDelete).
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');

    // A customer: empty and malformed fields are refused next to their inputs, what was typed stays.
    await page.goto(`${acme}/customers/new`);
    await page.fill('input[name="email"]', 'not-an-email');
    await page.click('[data-testid="customer-form"] button');
    await expect(page.getByTestId('error-name').textContent()).resolves.toBe('Name is required.');
    await expect(page.getByTestId('error-email').textContent()).resolves.toContain('Enter an email address');
    await expect(page.inputValue('input[name="email"]')).resolves.toBe('not-an-email');
    await screenshot(page, 'invoices-customer-field-errors');
    const name = `Zeta Widgets ${Date.now()}`;
    await page.fill('input[name="name"]', name);
    await page.fill('input[name="email"]', 'billing@zeta.test');
    await Promise.all([page.waitForURL(/\/customers\?created=/), page.click('[data-testid="customer-form"] button')]);
    // Search finds it (and only what matches).
    await page.fill('input[name="q"]', 'zeta widgets');
    await Promise.all([page.waitForURL(/q=zeta/), page.click('[data-testid="search"] button')]);
    await expect(page.locator('[data-testid="customers"] tbody tr').count()).resolves.toBe(1);
    await screenshot(page, 'invoices-customers-search');
    await page.click(`text=${name}`);
    await page.getByTestId('customer-name').waitFor();
    const customerId = page.url().split('/').at(-1)!;
    await page.fill('input[name="name"]', `${name} Ltd`);
    await Promise.all([page.waitForURL(/\/customers\?updated=1/), page.click('[data-testid="customer-form"] button')]);

    // An invoice for it, of line items: a bad price and a number already used are refused in words.
    await page.goto(`${acme}/invoices/new`);
    await page.selectOption('select[name="customerId"]', customerId);
    const [taken] = await su<{ number: string }[]>`select number from invoices where tenant_id = ${ids.acme!} limit 1`;
    await page.fill('input[name="number"]', taken!.number);
    await page.fill('input[name="lines.0.description"]', 'Design work');
    await page.fill('input[name="lines.0.quantity"]', '2');
    // In en-US (Chromium's language here) ',' groups thousands: '12,5' is ambiguous, refused in words.
    await page.fill('input[name="lines.0.unitPrice"]', '12,5');
    // A second line, added on the client; the running total counts what can be read.
    await page.getByTestId('add-line').click();
    await page.fill('input[name="lines.1.description"]', 'Hosting');
    await page.fill('input[name="lines.1.quantity"]', '1');
    await page.fill('input[name="lines.1.unitPrice"]', '1,000.50');
    await expect(page.getByTestId('lines-total').textContent()).resolves.toBe('1,000.50');
    // A third, empty, removed again.
    await page.getByTestId('add-line').click();
    await expect(page.getByTestId('line-row').count()).resolves.toBe(3);
    await page.getByRole('button', { name: 'Remove line 3' }).click();
    await expect(page.getByTestId('line-row').count()).resolves.toBe(2);
    await page.click('[data-testid="invoice-form"] button:not([type="button"])');
    await expect(page.getByTestId('error-lines.0.unitPrice').textContent()).resolves.toContain('did you mean 12.50?');
    // What was typed survives the refusal, both lines.
    await expect(page.inputValue('input[name="lines.1.unitPrice"]')).resolves.toBe('1,000.50');
    await page.fill('input[name="lines.0.unitPrice"]', '125.00');
    await expect(page.getByTestId('lines-total').textContent()).resolves.toBe('1,250.50');
    await page.click('[data-testid="invoice-form"] button:not([type="button"])');
    await expect(page.getByTestId('error-number').textContent()).resolves.toBe(`Invoice number ${taken!.number} is already used in this workspace.`);
    await screenshot(page, 'invoices-invoice-field-errors');
    const number = `E2E-${Date.now()}`;
    await page.fill('input[name="number"]', number);
    await Promise.all([page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?created=1/), page.click('[data-testid="invoice-form"] button:not([type="button"])')]);
    // Money through Intl in the locale: the symbol, thousands grouped (issue 23); the total the server computed.
    await expect(page.getByTestId('invoice-amount').textContent()).resolves.toBe('$1,250.50');
    const invoiceId = new URL(page.url()).pathname.split('/').at(-1)!;
    // The lines, in a table with their total.
    await expect(page.getByTestId('invoice-line').allTextContents()).resolves.toEqual(['Design work2$125.00$250.00', 'Hosting1$1,000.50$1,000.50']);
    await expect(page.getByTestId('invoice-lines-total').textContent()).resolves.toBe('$1,250.50');
    const storedLines = await su`select description, quantity, unit_amount_cents from invoice_lines where tenant_id = ${ids.acme!} and invoice_id = ${invoiceId} order by position`;
    expect(storedLines).toEqual([
      { description: 'Design work', quantity: 2, unit_amount_cents: 12500 },
      { description: 'Hosting', quantity: 1, unit_amount_cents: 100050 },
    ]);
    // The edit form shows the prices the way it reads them back.
    await expect(page.inputValue('input[name="lines.1.unitPrice"]')).resolves.toBe('1,000.50');
    await page.goto(`${acme}/invoices?q=${number}`);
    await expect(page.getByTestId('invoice-row-amount').textContent()).resolves.toBe('$1,250.50');
    await page.goto(`${acme}/invoices/${invoiceId}`);
    // Edited down to one line: the second removed, the first's price changed.
    await page.getByRole('button', { name: 'Remove line 2' }).click();
    await page.fill('input[name="lines.0.quantity"]', '1');
    await page.fill('input[name="lines.0.unitPrice"]', '99.99');
    await page.selectOption('select[name="status"]', 'sent');
    await Promise.all([page.waitForURL(/\?updated=1/), page.click('[data-testid="invoice-form"] button:not([type="button"])')]);
    await expect(page.getByTestId('invoice-amount').textContent()).resolves.toBe('$99.99');
    await expect(page.getByTestId('invoice-line').count()).resolves.toBe(1);
    await screenshot(page, 'invoices-invoice-edit');
    const [stored] = await su<{ tenant_id: string; amount_cents: number; status: string }[]>`select tenant_id, amount_cents, status from invoices where id = ${invoiceId}`;
    expect(stored).toEqual({ tenant_id: ids.acme, amount_cents: 9999, status: 'sent' });

    // The customer cannot go while it has an invoice: said in words, nothing deleted.
    await page.goto(`${acme}/customers/${customerId}`);
    await confirmDelete(page);
    await expect(page.getByTestId('form-error').textContent()).resolves.toContain('This customer has invoices');

    // The list pages through acme's invoices, newest first, each once, none of globex's.
    await page.goto(`${acme}/invoices`);
    const first = await listedInvoiceIds(page);
    expect(first[0]).toBe(invoiceId);
    await Promise.all([page.waitForURL(/after=/), page.getByTestId('next-page').click()]);
    const second = await listedInvoiceIds(page);
    const acmeIds = await invoiceIds('acme');
    expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
    expect(first.length + second.length).toBe(Math.min(acmeIds.size, 50));
    expect([...first, ...second].every((id) => acmeIds.has(id))).toBe(true);
    await screenshot(page, 'invoices-list-page-2');
    await page.fill('input[name="q"]', number);
    await Promise.all([page.waitForURL(/q=E2E/), page.click('[data-testid="search"] button')]);
    await expect(listedInvoiceIds(page)).resolves.toEqual([invoiceId]);

    // Delete the invoice, then its customer.
    await page.goto(`${acme}/invoices/${invoiceId}`);
    await Promise.all([page.waitForURL(/\/invoices\?deleted=1/), confirmDelete(page)]);
    await page.goto(`${acme}/customers/${customerId}`);
    await Promise.all([page.waitForURL(/\/customers\?deleted=1/), confirmDelete(page)]);
    await expect(su`select 1 from invoices where id = ${invoiceId} union all select 1 from customers where id = ${customerId}`).resolves.toHaveLength(0);

    // Each of those writes is in acme's audit trail, with alice as the actor.
    await page.goto(`${acme}/audit`);
    const trail = (await page.getByTestId('audit').textContent()) ?? '';
    for (const action of ['customer.create', 'customer.update', 'invoice.create', 'invoice.update', 'invoice.delete', 'customer.delete']) expect(trail).toContain(action);
    expect(trail).toContain('alice@acme.test');
    await screenshot(page, 'invoices-audit-trail');
    const audited = await su<{ action: string }[]>`
      select action from audit_events where tenant_id = ${ids.acme!} and target in (${invoiceId}, ${customerId}) order by created_at`;
    expect(audited.map((a) => a.action)).toEqual(['customer.create', 'customer.update', 'invoice.create', 'invoice.update', 'invoice.delete', 'customer.delete']);
    // The app seals its events into acme's hash chain in the background, about a second later.
    await vi.waitFor(
      async () => expect(await su`select id from audit_events where tenant_id = ${ids.acme!} and (seq is null or hash is null)`).toHaveLength(0),
      { timeout: 20_000, interval: 250 },
    );
  });

  it("renders an acme invoice's PDF in acme's name and colour, with nothing of globex", async () => {
    const page = await fresh();
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');
    const [invoice] = await su<{ id: string; number: string; customer: string }[]>`
      select i.id, i.number, c.name as customer from invoices i join customers c on c.id = i.customer_id where i.tenant_id = ${ids.acme!} limit 1`;
    await page.goto(`${acme}/invoices/${invoice!.id}`);
    await expect(page.getByTestId('invoice-pdf').getAttribute('href')).resolves.toBe(`/invoices/${invoice!.id}/pdf`);
    // With the page's own cookies, as a click would send them.
    const response = await fetchInPage(page, `/invoices/${invoice!.id}/pdf`);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/pdf');
    const text = await pdfText(response.body);
    expect(text).toContain('Acme Corp');
    expect(text).toContain(`Invoice ${invoice!.number}`);
    expect(text).toContain(invoice!.customer);
    // Its line items (seeded) and their total.
    const lines = await su<{ description: string }[]>`select description from invoice_lines where tenant_id = ${ids.acme!} and invoice_id = ${invoice!.id}`;
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(text).toContain(line.description);
    expect(text).toContain('Total');
    expect(text).not.toMatch(/globex/i);
    // The header band is filled in acme's own colour (seeded as #dc2626).
    await expect(pdfFillColours(response.body)).resolves.toContain('#dc2626');
    // Globex's invoice PDF, asked for on acme's host: unknown here.
    const [globexInvoice] = [...(await invoiceIds('globex'))];
    expect((await fetchInPage(page, `/invoices/${globexInvoice}/pdf`)).status).toBe(404);
  });

  it('exports the tenant as a job with progress on the page, then a download of its own rows only', async () => {
    const page = await fresh();
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');
    // A token of acme's: its hash must not leave in the export nor in the token list (C16).
    const created = await page.evaluate(async () => {
      const response = await fetch('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e', scopes: ['invoices:read'] }) });
      return response.status;
    });
    expect(created).toBe(201);
    await page.goto(`${acme}/export`);
    await Promise.all([page.waitForURL(/\/export\?id=/), page.click('[data-testid="export-form"] button')]);
    await page.getByTestId('export-progress').waitFor();
    await screenshot(page, 'invoices-export-progress');
    await page.locator('[data-testid="export-progress"][data-state="done"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'invoices-export-done');
    const href = await page.getByTestId('export-download').getAttribute('href');
    const download = await fetchInPage(page, href!);
    expect(download.status).toBe(200);
    const text = download.body.toString('utf8');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { table: string; row: { id?: string; slug?: string; tenant_id?: string } });
    expect(lines.find((l) => l.table === 'tenants')?.row.slug).toBe('acme');
    const exported = lines.filter((l) => l.table === 'invoices').map((l) => l.row.id!);
    expect(exported.sort()).toEqual([...(await invoiceIds('acme'))].sort());
    // Every tenant row is acme's, and no other tenant's id appears anywhere in the file.
    expect(lines.every((l) => l.row.tenant_id === undefined || l.row.tenant_id === ids.acme)).toBe(true);
    expect(text).not.toContain(ids.globex!);
    expect(text).not.toContain(ids.initech!);
    // No secret of the database in the file or in the API's answers (C16): every value of every marked column.
    const secrets: string[] = [];
    for (const [table, columns] of Object.entries(secretColumnsByTable(schema as Record<string, unknown>))) {
      for (const column of columns) {
        const rows = await su.unsafe<{ v: string | null }[]>(`select "${column}"::text as v from "${table}"`);
        secrets.push(...rows.map((r) => r.v).filter((v): v is string => v !== null && v.length >= 8));
      }
    }
    expect(secrets.length).toBeGreaterThan(3);
    expect(lines.some((l) => l.table === 'api_tokens')).toBe(true);
    const tokens = (await fetchInPage(page, '/api/v1/tokens')).body.toString('utf8');
    expect(tokens).toContain('e2e');
    for (const [where, body] of [['export', text], ['token list', tokens], ['export status', (await fetchInPage(page, `/api/v1/exports/${href!.split('/')[4]!}`)).body.toString('utf8')]] as const) {
      expect(secrets.filter((v) => body.includes(v)), `secrets in the ${where}`).toEqual([]);
    }
    // The same export id on globex's host (dave is a member there too) is unknown: storage is per tenant.
    const exportId = href!.split('/')[4]!;
    const daves = await fresh();
    await signIn(daves, app.origin('globex'), 'dave@example.test');
    expect((await fetchInPage(daves, `/api/v1/exports/${exportId}`)).status).toBe(404);
    expect((await fetchInPage(daves, `/api/v1/exports/${exportId}/download`)).status).toBe(404);
  });

  it('reads and writes money the way a German browser does, and sends paid and void PDFs that say so', async () => {
    // A browser asking for German (Accept-Language: de-DE): amounts are typed and shown with a
    // decimal comma and '.' grouping; the tenant has no locale of its own (issue 23).
    const context = await browser.newContext({ locale: 'de-DE', extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.23' } });
    const page = await context.newPage();
    const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
    try {
      const acme = app.origin('acme');
      await signIn(page, acme, 'alice@acme.test');
      await page.goto(`${acme}/invoices/new`);
      await page.selectOption('select[name="customerId"]', { index: 1 });
      const number = `DE-${Date.now()}`;
      await page.fill('input[name="number"]', number);
      await page.fill('input[name="currency"]', 'EUR');
      await page.selectOption('select[name="status"]', 'paid');
      await page.fill('input[name="lines.0.description"]', 'Beratung');
      // '12.50' is not an amount in German: refused in words, with what was probably meant.
      await page.fill('input[name="lines.0.unitPrice"]', '12.50');
      await page.click('[data-testid="invoice-form"] button:not([type="button"])');
      await expect(page.getByTestId('error-lines.0.unitPrice').textContent()).resolves.toContain('did you mean 12,50?');
      // A comma amount, grouped the German way, is accepted.
      await page.fill('input[name="lines.0.unitPrice"]', '1.234.567,80');
      expect(plain(await page.getByTestId('lines-total').textContent())).toBe('1.234.567,80');
      await Promise.all([page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?created=1/), page.click('[data-testid="invoice-form"] button:not([type="button"])')]);
      expect(plain(await page.getByTestId('invoice-amount').textContent())).toBe('1.234.567,80 €');
      await screenshot(page, 'invoices-invoice-de-DE');
      const invoiceId = new URL(page.url()).pathname.split('/').at(-1)!;
      const [stored] = await su<{ amount_cents: number; currency: string }[]>`select amount_cents, currency from invoices where id = ${invoiceId}`;
      expect(stored).toEqual({ amount_cents: 123456780, currency: 'EUR' });

      // The list, with separators.
      await page.goto(`${acme}/invoices?q=${number}`);
      expect(plain(await page.getByTestId('invoice-row-amount').textContent())).toBe('1.234.567,80 €');

      // The paid invoice's PDF: issuer, customer, and "Amount paid", never "Amount due".
      const [customer] = await su<{ name: string; email: string | null }[]>`select c.name, c.email from invoices i join customers c on c.id = i.customer_id where i.id = ${invoiceId}`;
      const paid = plain(await pdfText((await fetchInPage(page, `/invoices/${invoiceId}/pdf`)).body));
      expect(paid).toContain('Acme Corp');
      expect(paid).toContain(customer!.name);
      if (customer!.email) expect(paid).toContain(customer!.email);
      expect(paid).toContain(`Invoice ${number}`);
      expect(paid).toContain('Amount paid');
      expect(paid).toContain('1.234.567,80 €');
      expect(paid).toContain('Beratung');
      expect(paid).not.toContain('Amount due');
      expect(paid).not.toContain('VOID');

      // Voided: the PDF is marked VOID, nothing is due.
      await page.goto(`${acme}/invoices/${invoiceId}`);
      await expect(page.inputValue('input[name="lines.0.unitPrice"]')).resolves.toBe('1.234.567,80');
      await page.selectOption('select[name="status"]', 'void');
      await Promise.all([page.waitForURL(/\?updated=1/), page.click('[data-testid="invoice-form"] button:not([type="button"])')]);
      await expect(su`select 1 from invoices where id = ${invoiceId} and status = 'void' and amount_cents = 123456780`).resolves.toHaveLength(1);
      const voided = plain(await pdfText((await fetchInPage(page, `/invoices/${invoiceId}/pdf`)).body));
      expect(voided).toContain('VOID');
      expect(voided).toContain('nothing is due');
      expect(voided).not.toContain('Amount due');
      expect(voided).not.toContain('Amount paid');

      // The same invoice to an English browser: '€1,234,567.80'.
      const english = await fresh();
      await signIn(english, acme, 'alice@acme.test');
      await english.goto(`${acme}/invoices?q=${number}`);
      await expect(english.getByTestId('invoice-row-amount').textContent()).resolves.toBe('€1,234,567.80');
      await su`delete from invoices where id = ${invoiceId}`;
    } finally {
      await context.close();
    }
  });
});
