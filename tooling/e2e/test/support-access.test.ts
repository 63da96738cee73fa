/**
 * Support access as the tenant's members see it (issue 23 items 4 and 5), in real Chromium: a
 * platform admin opens break-glass access to acme in the console; while it is open, acme's members
 * see a banner in lessons (the dashboard and the audit trail) and in invoices (the audit trail)
 * naming the admin, the reason, the expiry and read-only; the audit timelines name the support
 * person and the reason, filter to support access, and fit a phone. Globex shows nothing. Once the
 * admin ends it, the banners are gone and the timeline says so.
 */
import { DEMO_PASSWORD } from '@studio/auth';
import type { Browser, Page } from 'playwright-core';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, startApp, type RunningApp } from '../src/apps';
import { chromiumPath, launchChromium, NO_CHROMIUM, screenshot } from '../src/browser';
import { browserProfiles, demoDatabase, type DemoDatabase } from '../src/session';

const hasChromium = chromiumPath() !== null;
if (!hasChromium) console.warn(`[e2e] ${NO_CHROMIUM}`);

let demo: DemoDatabase;
let su: postgres.Sql;
let admin: RunningApp;
let invoices: RunningApp;
let lessons: RunningApp;
let browser: Browser;
// One profile set per person: a set's fresh() closes its previous page.
let consoles: ReturnType<typeof browserProfiles>;
let lessonsPhones: ReturnType<typeof browserProfiles>;
let invoicesPhones: ReturnType<typeof browserProfiles>;
let others: ReturnType<typeof browserProfiles>;

const REASON = 'Ticket 4430: acme reports missing lesson plans';
const SUPPORT = 'Support: Platform Admin (admin@studio.test)';

async function adminSignIn(page: Page): Promise<void> {
  const origin = admin.origin();
  await page.goto(`${origin}/sign-in`);
  await page.fill('input[name="email"]', 'admin@studio.test');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${origin}/`), page.click('[data-testid="sign-in"] button')]);
}

async function invoicesSignIn(page: Page, slug: string, email: string): Promise<void> {
  const origin = invoices.origin(slug);
  await page.goto(`${origin}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('[data-testid="sign-in"] button');
  await page.waitForURL(`${origin}/`);
}

async function lessonsSignIn(page: Page, slug: string, email: string): Promise<void> {
  await page.goto(`${lessons.origin()}/t/${slug}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === `/t/${slug}`), page.click('[data-testid="sign-in"] button')]);
}

/** The banner's text, whitespace made single. */
async function bannerText(page: Page): Promise<string> {
  return ((await page.getByTestId('support-banner').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The timeline's support rows: action, actor, sentence. */
async function supportRows(page: Page) {
  return page.locator('[data-testid="audit-event"][data-action^="support_access."]').evaluateAll((rows) =>
    rows.map((r) => ({
      action: r.getAttribute('data-action'),
      actor: r.querySelector('[data-testid="audit-actor"]')?.textContent ?? '',
      sentence: r.querySelector('[data-testid="audit-sentence"]')?.textContent ?? '',
    })),
  );
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

describe.skipIf(!hasChromium)('support access, seen by the tenant', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    ({ su } = demo);
    await buildApps(['admin', 'invoices', 'lessons']);
    [admin, invoices, lessons] = await Promise.all([
      startApp('admin', demo.db.urls.app, { DATABASE_ADMIN_URL: demo.db.urls.admin }),
      startApp('invoices', demo.db.urls.app),
      startApp('lessons', demo.db.urls.app),
    ]);
    browser = await launchChromium();
    consoles = browserProfiles(browser, { subnet: '198.51.102' });
    lessonsPhones = browserProfiles(browser, { width: 390, subnet: '198.51.103' });
    invoicesPhones = browserProfiles(browser, { width: 390, subnet: '198.51.104' });
    others = browserProfiles(browser, { subnet: '198.51.105' });
    // Three apps to build (turbo's cache makes a second run quick).
  }, 1_500_000);

  afterAll(async () => {
    for (const set of [consoles, lessonsPhones, invoicesPhones, others]) await set?.close();
    await browser?.close();
    await Promise.all([admin?.stop(), invoices?.stop(), lessons?.stop()]);
    await demo?.drop();
  });

  it('shows an open grant to acme in both products, names the support person in the timeline, and drops it once ended', async () => {
    // The console: read-only access to acme, with a reason.
    const consolePage = await consoles.fresh();
    await adminSignIn(consolePage);
    await consolePage.goto(`${admin.origin()}/tenants/acme`);
    await consolePage.fill('[data-testid="break-glass"] textarea[name="reason"]', REASON);
    await Promise.all([consolePage.waitForURL(`${admin.origin()}/tenants/acme/data`), consolePage.click('[data-testid="break-glass"] button')]);
    const [grant] = await su<{ expires_at: Date }[]>`select expires_at from break_glass_grants where revoked_at is null`;
    expect(grant).toBeDefined();

    // Lessons: alice (an acme owner) sees the banner on her dashboard and in the audit trail.
    const phone = await lessonsPhones.fresh();
    await lessonsSignIn(phone, 'acme', 'alice@acme.test');
    const banner = await bannerText(phone);
    expect(banner).toContain(`Support access: Platform Admin (admin@studio.test) can read your data until`);
    expect(banner).toContain(REASON);
    expect(banner).toContain('read-only');
    expect(banner).not.toContain('change');
    await expect(phone.getByTestId('support-banner').getByRole('heading', { name: 'Support access is open' }).count()).resolves.toBe(1);
    await expect(phone.getByTestId('support-banner').getByRole('status').count()).resolves.toBe(1);
    await screenshot(phone, 'support-access-lessons-banner-phone');
    await phone.goto(`${lessons.origin()}/t/acme/audit?kind=support`);
    expect(await bannerText(phone)).toContain(REASON);
    const rows = await supportRows(phone);
    expect(rows.at(-1)).toMatchObject({ action: 'support_access.grant', actor: SUPPORT });
    expect(rows.at(-1)!.sentence).toMatch(/^opened support access \(read-only\) until .+: Ticket 4430: acme reports missing lesson plans$/);
    // The admin's look at the data page is a row of its own.
    expect(rows.find((r) => r.action === 'support_access.view')).toMatchObject({ actor: SUPPORT });
    await expect(phone.locator('[data-testid="audit-event"]:not([data-action^="support_access."])').count()).resolves.toBe(0);
    await noSidewaysScroll(phone);
    await screenshot(phone, 'support-access-lessons-audit-phone');

    // Invoices: the audit trail shows the banner and names the support person; a phone does not scroll sideways.
    const member = await invoicesPhones.fresh();
    await invoicesSignIn(member, 'acme', 'alice@acme.test');
    await member.goto(`${invoices.origin('acme')}/audit`);
    expect(await bannerText(member)).toContain(`Platform Admin (admin@studio.test) can read your data until`);
    const invoiceRows = await supportRows(member);
    expect(invoiceRows.find((r) => r.action === 'support_access.grant')).toMatchObject({ actor: SUPPORT });
    expect(invoiceRows.find((r) => r.action === 'support_access.grant')!.sentence).toContain(REASON);
    await noSidewaysScroll(member);
    await screenshot(member, 'support-access-invoices-audit-phone');
    // The actor filter lists the support person; choosing them shows only their rows.
    await member.selectOption('[data-testid="audit-filter"] select[name="actor"]', { label: SUPPORT });
    await Promise.all([member.waitForURL((url) => url.searchParams.has('actor')), member.click('[data-testid="audit-filter"] button')]);
    const actors = await member.locator('[data-testid="audit-event"] [data-testid="audit-actor"]').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set([SUPPORT]));

    // Globex: no banner.
    const bob = await others.fresh();
    await lessonsSignIn(bob, 'globex', 'bob@globex.test');
    await expect(bob.getByTestId('support-banner').count()).resolves.toBe(0);

    // The admin ends it: gone from both products; the timeline says it ended early.
    await consolePage.goto(`${admin.origin()}/tenants/acme`);
    await consolePage.click('[data-testid="end-access"] button');
    await expect.poll(async () => (await su`select 1 from break_glass_grants where revoked_at is null`).length, { timeout: 10_000 }).toBe(0);
    await phone.goto(`${lessons.origin()}/t/acme`);
    await expect(phone.getByTestId('support-banner').count()).resolves.toBe(0);
    await member.goto(`${invoices.origin('acme')}/audit?kind=support`);
    await expect(member.getByTestId('support-banner').count()).resolves.toBe(0);
    const after = await supportRows(member);
    expect(after[0]).toMatchObject({ action: 'support_access.end', actor: SUPPORT, sentence: `ended support access early: ${REASON}` });
    await screenshot(member, 'support-access-invoices-ended');
  });
});
