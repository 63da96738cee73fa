/**
 * Issue 23: the workspace switcher keeps its user signed in. On a real base domain the session
 * spans the product's tenant hosts (sessionDomainFor in @studio/auth), so switching lands on the
 * other workspace's dashboard, not on an empty sign-in form; membership is still checked per
 * workspace, and signing out ends the session everywhere. `studio.test` stands in for the
 * production domain (Chromium maps it to loopback; it refuses a cookie for `localhost`).
 */
import { DEMO_PASSWORD } from '@studio/auth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { demoDatabase, type DemoDatabase } from '../src/session';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

const DOMAIN = 'studio.test';
let demo: DemoDatabase;
let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let clients = 0;

const origin = (slug: string) => `http://${slug}.${DOMAIN}:${app.port}`;

async function profile(): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, extraHTTPHeaders: { 'x-forwarded-for': `198.51.104.${++clients}` } });
  contexts.push(context);
  return { page: await context.newPage(), context };
}

async function signIn(page: Page, slug: string, email: string): Promise<void> {
  await page.goto(`${origin(slug)}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('[data-testid="sign-in"] button')]);
}

describe.skipIf(!hasChromium)('workspace switcher across subdomains (issue 23)', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    await buildApps(['invoices']);
    app = await startApp('invoices', demo.db.urls.app, { INVOICES_BASE_DOMAIN: DOMAIN });
    browser = await launchChromium([`--host-resolver-rules=MAP *.${DOMAIN} 127.0.0.1, MAP ${DOMAIN} 127.0.0.1`]);
  }, 900_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
    await demo?.drop();
  });

  it('switching lands on the other workspace signed in; one cookie for the domain', async () => {
    const { page, context } = await profile();
    await signIn(page, 'acme', 'dave@example.test');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Acme Corp');
    const session = (await context.cookies()).find((c) => c.name.endsWith('session_token'));
    expect(session?.domain.replace(/^\./, '')).toBe(DOMAIN);

    await page.getByTestId('workspace-switcher').click();
    await Promise.all([page.waitForURL((url) => url.hostname === `globex.${DOMAIN}`), page.getByTestId('switch-globex').click()]);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Globex');
    await screenshot(page, 'invoices-switched-signed-in');

    // Signing out on one workspace ends the session on all of them.
    await page.getByTestId('user-menu').click();
    await Promise.all([page.waitForURL((url) => url.pathname === '/sign-in'), page.getByTestId('menu-sign-out').click()]);
    await page.goto(`${origin('acme')}/invoices`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('the shared session opens no workspace its user is not a member of', async () => {
    const { page } = await profile();
    await signIn(page, 'acme', 'alice@acme.test');
    const answer = await page.goto(`${origin('globex')}/`);
    // The not-a-member page (404), naming the account: not globex's data, not a sign-in form.
    expect(answer?.status()).toBe(404);
    await expect(page.getByTestId('not-a-member').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@acme.test');
    expect((await page.goto(`${origin('globex')}/invoices`))?.status()).toBe(404);
    // The JSON API with the session cookie is refused too.
    const api = await page.evaluate(async () => (await fetch('/api/v1/invoices')).status);
    expect([401, 403, 404]).toContain(api);
  });
});
