/**
 * Issue 23, the dead ends a new user met, in real Chromium against the production builds: a
 * signed-in non-member gets a page naming the workspace and their account, with a sign-out that
 * works and links to their own workspaces (still 404); a suspended workspace says so (still 403),
 * with its reason for its members only; and every page has a title of its own.
 */
import http from 'node:http';
import { DEMO_PASSWORD } from '@studio/auth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { demoDatabase, submitSignIn, type DemoDatabase } from '../src/session';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let demo: DemoDatabase;
let invoices: RunningApp;
let lessons: RunningApp;
let admin: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let clients = 0;

/** A browser profile of its own (several at once: a member, a non-member, a visitor), each its own client address. */
async function profile(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, extraHTTPHeaders: { 'x-forwarded-for': `198.51.102.${++clients}` } });
  contexts.push(context);
  return context.newPage();
}

const path = (page: Page) => new URL(page.url()).pathname;
const REASON = 'Unpaid invoice 2026-11';

/** Signs in on the sign-in page the browser is on, and waits until `landing` (a path) has loaded. */
async function signIn(page: Page, email: string, landing: string): Promise<void> {
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === landing), page.click('[data-testid="sign-in"] button')]);
}

/** A GET as `<tenant>.localhost` from Node (which cannot resolve it: the Host header says it). */
function get(port: number, tenant: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers: { host: `${tenant}.localhost:${port}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Suspends a tenant as the console does, and reactivates it after `run`. */
async function whileSuspended(slug: string, run: () => Promise<void>): Promise<void> {
  await demo.su`update tenants set status = 'suspended', status_reason = ${REASON} where slug = ${slug}`;
  try {
    await run();
  } finally {
    await demo.su`update tenants set status = 'active', status_reason = null where slug = ${slug}`;
  }
}

/** Opens `url` until it answers `status` (the apps hear of a suspension by NOTIFY, a moment later). */
async function openUntil(page: Page, url: string, status: number): Promise<void> {
  await expect.poll(async () => (await page.goto(url))?.status(), { timeout: 15_000, interval: 250 }).toBe(status);
}

describe.skipIf(!hasChromium)('dead ends (issue 23) in Chromium', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    await buildApps(['invoices', 'lessons', 'admin']);
    [invoices, lessons, admin] = await Promise.all([
      startApp('invoices', demo.db.urls.app),
      startApp('lessons', demo.db.urls.app),
      startApp('admin', demo.db.urls.app, { DATABASE_ADMIN_URL: demo.db.urls.admin }),
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await Promise.all([invoices?.stop(), lessons?.stop(), admin?.stop()]);
    await demo?.drop();
  });

  afterEach((test) => {
    if (test.task.result?.state === 'fail') {
      for (const [name, app] of [['invoices', invoices], ['lessons', lessons], ['admin', admin]] as const) console.error(`[${name} app log]\n${app?.log().slice(-4000)}`);
    }
  });

  it('invoices: a signed-in non-member sees whose workspace this is, who they are, their own workspaces, and can sign out (404)', async () => {
    const page = await profile();
    const globex = invoices.origin('globex');
    await page.goto(`${globex}/sign-in`);
    const answer = await submitSignIn(page, 'alice@acme.test', '/');
    expect(answer.status()).toBe(404);
    await expect(page.getByTestId('workspace-name').textContent()).resolves.toBe('Globex');
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@acme.test');
    await expect(page.locator('[data-testid="my-workspaces"] a').getAttribute('href')).resolves.toBe(invoices.origin('acme'));
    // Nothing of globex's data.
    await expect(page.locator('[data-testid="invoices"]').count()).resolves.toBe(0);
    await screenshot(page, 'dead-ends-invoices-not-a-member');
    // Any page of it says the same.
    expect((await page.goto(`${globex}/customers`))?.status()).toBe(404);
    await expect(page.getByTestId('not-a-member').count()).resolves.toBe(1);

    // Signing out works, and leads to this workspace's sign-in.
    await Promise.all([page.waitForURL((url) => url.pathname === '/sign-in'), page.click('[data-testid="sign-out"] button')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in to Globex');
    await page.goto(`${globex}/`);
    expect(path(page)).toBe('/sign-in');
  });

  it('invoices: a suspended workspace says so (403), the reason to its members only', async () => {
    const initech = invoices.origin('initech');
    const member = await profile();
    await member.goto(`${initech}/sign-in`);
    expect((await submitSignIn(member, 'carol@initech.test', '/')).status()).toBe(200);
    const stranger = await profile();
    await stranger.goto(`${initech}/sign-in`);
    expect((await submitSignIn(stranger, 'alice@acme.test', '/')).status()).toBe(404);
    const visitor = await profile();

    await whileSuspended('initech', async () => {
      await openUntil(member, `${initech}/`, 403);
      await expect(member.locator('h1').textContent()).resolves.toBe('This workspace is suspended');
      await expect(member.getByTestId('suspension-reason').textContent()).resolves.toContain(REASON);
      await screenshot(member, 'dead-ends-invoices-suspended-member');
      for (const [who, page] of [
        ['non-member', stranger],
        ['signed out', visitor],
      ] as const) {
        for (const suffix of ['/', '/customers', '/sign-in']) {
          await openUntil(page, `${initech}${suffix}`, 403);
          await expect(page.locator('h1').textContent(), `${who} ${suffix}`).resolves.toBe('This workspace is suspended');
          await expect(page.getByTestId('suspension-reason').count(), `${who} ${suffix}`).resolves.toBe(0);
          expect(await page.content(), `${who} ${suffix}`).not.toContain(REASON);
        }
      }
      await screenshot(visitor, 'dead-ends-invoices-suspended-visitor');
      // A way out for whoever is signed in (the one POST the proxy lets through to a suspended
      // workspace); a visitor has nothing to sign out of.
      await expect(visitor.getByTestId('sign-out').count()).resolves.toBe(0);
      await openUntil(stranger, `${initech}/`, 403);
      await Promise.all([stranger.waitForURL((url) => url.pathname === '/sign-in'), stranger.click('[data-testid="sign-out"] button')]);
      await openUntil(stranger, `${initech}/`, 403);
      await expect(stranger.getByTestId('sign-out').count()).resolves.toBe(0);
      // The API answers without the reason too.
      const api = await get(invoices.port, 'initech', '/api/v1/invoices');
      expect(api.status).toBe(403);
      expect(api.body).toContain('TENANT_SUSPENDED');
      expect(api.body).not.toContain(REASON);
    });
    // Active again: the member's page is back.
    await openUntil(member, `${initech}/`, 200);
  });

  it('lessons: a signed-in non-member gets the same page, with a working sign-out; a suspension shows its reason to members only', async () => {
    const globex = `${lessons.origin()}/t/globex`;
    const page = await profile();
    await page.goto(`${globex}/sign-in`);
    expect((await submitSignIn(page, 'alice@acme.test', '/t/globex')).status()).toBe(404);
    await expect(page.getByTestId('workspace-name').textContent()).resolves.toBe('Globex');
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@acme.test');
    await expect(page.locator('[data-testid="my-workspaces"] a').getAttribute('href')).resolves.toBe('/t/acme');
    await screenshot(page, 'dead-ends-lessons-not-a-member');

    // Suspended: the member (dave, of globex and acme) sees why; alice (not a member) and a visitor do not.
    const member = await profile();
    await member.goto(`${globex}/sign-in`);
    expect((await submitSignIn(member, 'dave@example.test', '/t/globex')).status()).toBe(200);
    const visitor = await profile();
    await whileSuspended('globex', async () => {
      await openUntil(member, globex, 403);
      await expect(member.getByTestId('suspension-reason').textContent()).resolves.toContain(REASON);
      for (const other of [page, visitor]) {
        await openUntil(other, globex, 403);
        await expect(other.locator('h1').textContent()).resolves.toBe('This workspace is suspended');
        expect(await other.content()).not.toContain(REASON);
      }
      await screenshot(visitor, 'dead-ends-lessons-suspended-visitor');
      // The member signs out from the suspended page and lands on this workspace's sign-in.
      await Promise.all([member.waitForURL((url) => url.pathname === '/t/globex/sign-in'), member.click('[data-testid="sign-out"] button')]);
      await openUntil(member, globex, 403);
      await expect(member.getByTestId('suspension-reason').count()).resolves.toBe(0);
    });

    // One host, one session: signing out here signs out everywhere, and leads to this workspace's sign-in.
    await openUntil(page, globex, 404);
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/globex/sign-in'), page.click('[data-testid="sign-out"] button')]);
    await page.goto(`${lessons.origin()}/t/acme`);
    expect(path(page)).toBe('/t/acme/sign-in');
  });

  it('gives each page a title of its own, in all three apps', async () => {
    const titles = async (page: Page, urls: string[]) => {
      const out: string[] = [];
      for (const url of urls) {
        await page.goto(url);
        out.push(await page.title());
      }
      return out;
    };

    const inv = await profile();
    await inv.goto(`${invoices.origin('acme')}/sign-in`);
    await signIn(inv, 'alice@acme.test', '/');
    const acme = invoices.origin('acme');
    expect(await titles(inv, [`${acme}/`, `${acme}/customers`, `${acme}/members`, `${acme}/invoices`])).toEqual([
      'Acme Corp · Invoices',
      'Customers · Acme Corp · Invoices',
      'Members · Acme Corp · Invoices',
      'Invoices · Acme Corp · Invoices',
    ]);

    const les = await profile();
    await les.goto(`${lessons.origin()}/t/acme/sign-in`);
    expect(await les.title()).toBe('Sign in · Acme Corp · Lessons');
    await signIn(les, 'alice@acme.test', '/t/acme');
    expect(await titles(les, [`${lessons.origin()}/t/acme`, `${lessons.origin()}/t/acme/lessons/new`, `${lessons.origin()}/`])).toEqual([
      'Lesson plans · Acme Corp · Lessons',
      'New lesson plan · Acme Corp · Lessons',
      'Lessons',
    ]);

    const adm = await profile();
    await adm.goto(`${admin.origin()}/sign-in`);
    expect(await adm.title()).toBe('Sign in · Studio admin');
    await signIn(adm, 'admin@studio.test', '/');
    expect(await titles(adm, [`${admin.origin()}/`, `${admin.origin()}/tenants/acme/members`, `${admin.origin()}/audit`])).toEqual([
      'Tenants · Studio admin',
      'Members · acme · Studio admin',
      'Audit trail · Studio admin',
    ]);
  });
});
