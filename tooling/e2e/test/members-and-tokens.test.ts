/**
 * The invoices app's API tokens and members pages in real Chromium (issue 23 item 3): a token made
 * in the page, its secret shown once, used on the JSON API, revoked in the page and refused by the
 * API at once; a member's role changed and a member removed; an invitation resent and revoked.
 */
import { DEMO_PASSWORD } from '@studio/auth';
import type { TestDatabase } from '@studio/db-schema/testing';
import type { Browser, Page } from 'playwright-core';
import type postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { request } from '../src/http';
import { browserProfiles, demoDatabase, type DemoDatabase } from '../src/session';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let demo: DemoDatabase;
let db: TestDatabase;
let su: postgres.Sql;
let app: RunningApp;
let browser: Browser;
let profiles: ReturnType<typeof browserProfiles>;

async function signIn(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('[data-testid="sign-in"] button');
  await page.getByTestId('tenant-name').waitFor();
}

/** GET /api/v1/invoices on acme's host with a bearer token: the status. */
async function apiStatus(token: string): Promise<number> {
  const answer = await request(app.port, 'GET', '/api/v1/invoices', { host: `acme.localhost:${app.port}`, authorization: `Bearer ${token}` });
  return answer.status;
}

async function roleIn(email: string): Promise<string | null> {
  const [row] = await su<{ role: string }[]>`
    select m.role from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id where u.email = ${email} and t.slug = 'acme'`;
  return row?.role ?? null;
}

describe.skipIf(!hasChromium)('API tokens and members in Chromium', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    ({ db, su } = demo);
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

  afterEach((test) => {
    if (test.task.result?.state === 'fail') console.error(`[invoices app log]\n${app.log().slice(-6000)}`);
  });

  it('makes a token in the page, shows it once, and a revoke in the page stops it on the API at once', async () => {
    const page = await profiles.fresh();
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');
    await page.goto(`${acme}/tokens`);
    await page.getByTestId('no-tokens').waitFor();
    const name = `Accounting sync ${Date.now()}`;
    await page.fill('[data-testid="create-token"] input[name="name"]', name);
    // invoices:read is ticked already.
    await page.getByTestId('create-token-submit').click();
    const secret = page.getByTestId('token-secret');
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^stk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'invoices-token-created');
    // Listed, with its maker, never used yet, active.
    const row = page.getByTestId(`token-${name}`);
    await expect(row.textContent()).resolves.toContain('Alice Acme');
    await expect(row.getByTestId('token-last-used').textContent()).resolves.toBe('Never');
    await expect(row.getByTestId('token-status').textContent()).resolves.toBe('active');

    // The token opens the JSON API; the page then shows its use.
    expect(await apiStatus(token)).toBe(200);
    await page.getByTestId('token-done').click();
    await page.reload();
    await expect(page.getByTestId('token-secret').count()).resolves.toBe(0);
    await expect(page.locator('body').textContent()).resolves.not.toContain(token);
    await expect(page.getByTestId(`token-${name}`).getByTestId('token-last-used').textContent()).resolves.not.toBe('Never');

    // Revoked behind a confirmation: refused on the very next request.
    await page.getByTestId(`token-${name}`).getByTestId('revoke-token').click();
    await page.getByTestId('confirm-action').click();
    await page.getByTestId(`token-${name}`).getByTestId('token-status').filter({ hasText: 'revoked' }).waitFor();
    expect(await apiStatus(token)).toBe(401);
    await screenshot(page, 'invoices-token-revoked');
  });

  it("changes a member's role and removes a member", async () => {
    // A third member to remove.
    await su`insert into memberships (tenant_id, user_id, role)
      select t.id, u.id, 'member' from tenants t, users u where t.slug = 'acme' and u.email = 'carol@initech.test'`;
    const page = await profiles.fresh();
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');
    await page.goto(`${acme}/members`);
    // The only owner has no actions on herself.
    await expect(page.getByTestId('member-alice@acme.test').getByTestId('change-role').count()).resolves.toBe(0);
    await expect(page.getByTestId('member-alice@acme.test').getByTestId('remove-member').count()).resolves.toBe(0);

    const dave = page.getByTestId('member-dave@example.test');
    await dave.getByTestId('role-select').selectOption('admin');
    await dave.getByTestId('change-role-submit').click();
    await dave.getByTestId('member-role').filter({ hasText: 'admin' }).waitFor();
    expect(await roleIn('dave@example.test')).toBe('admin');

    await page.getByTestId('member-carol@initech.test').getByTestId('remove-member').click();
    await screenshot(page, 'invoices-member-remove-confirm');
    await page.getByTestId('confirm-action').click();
    await page.getByTestId('member-carol@initech.test').waitFor({ state: 'detached' });
    expect(await roleIn('carol@initech.test')).toBeNull();
    await screenshot(page, 'invoices-members-managed');
  });

  it('resends and revokes an invitation', async () => {
    const page = await profiles.fresh();
    page.on('pageerror', (error) => console.error('[page error]', error.message));
    page.on('console', (message) => message.type() === 'error' && console.error('[console]', message.text()));
    const acme = app.origin('acme');
    await signIn(page, acme, 'alice@acme.test');
    await page.goto(`${acme}/members`);
    await screenshot(page, 'invoices-members-before-invite');
    const email = `invitee-${Date.now()}@partner.test`;
    await page.fill('[data-testid="invite"] input[name="email"]', email);
    await page.click('[data-testid="invite"] button[type="submit"]');
    await page.getByTestId('invited').filter({ hasText: `Invited ${email}.` }).waitFor();
    const row = page.getByTestId(`pending-${email}`);
    await row.waitFor();
    const [before] = await su<{ expires_at: Date; id: string }[]>`select expires_at, id from invitations where email = ${email} and status = 'pending'`;
    await row.getByTestId('resend-invitation').click();
    await page.getByText(`Sent again to ${email}.`).waitFor();
    const [after] = await su<{ expires_at: Date; id: string }[]>`select expires_at, id from invitations where email = ${email} and status = 'pending'`;
    expect(after!.id).toBe(before!.id);
    expect(after!.expires_at.getTime()).toBeGreaterThanOrEqual(before!.expires_at.getTime());

    await row.getByTestId('revoke-invitation').click();
    await page.getByTestId('confirm-action').click();
    await row.waitFor({ state: 'detached' });
    const [revoked] = await su<{ status: string }[]>`select status from invitations where id = ${before!.id}`;
    expect(revoked!.status).toBe('canceled');
    // Its link now says so.
    const link = await page.goto(`${acme}/invite/${before!.id}`);
    expect(link?.status()).toBe(200);
    await page.getByText('This invitation is no longer valid').waitFor();
  });
});
