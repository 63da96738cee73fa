/**
 * The lessons app in real Chromium: the built app (standalone output) on a throw-away database
 * with the demo tenants, tenants in the path (localhost:<port>/t/acme), guard-only enforcement.
 * Screenshots of each page go to artifacts/.
 */
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
let browser: Browser;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lesson plan ids of a tenant, read as the superuser. */
async function planIds(slug: string, filter: 'all' | 'shared' | 'private' = 'all'): Promise<string[]> {
  const rows = await su<{ id: string }[]>`
    select p.id from lesson_plans p join tenants t on t.id = p.tenant_id
    where t.slug = ${slug} and (${filter} = 'all' or p.shared = (${filter} = 'shared')) order by p.created_at, p.id`;
  return rows.map((r) => r.id);
}

/** The plan ids the list page links to (each row is `lesson-<id>`). */
async function listedPlanIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="lessons"] tbody tr').evaluateAll((rows) => rows.map((row) => (row.getAttribute('data-testid') ?? '').replace(/^lesson-/, '')));
}

const path = (page: Page) => new URL(page.url()).pathname;

/** Clicks a menu's or dialog's trigger until what it opens shows (a click before hydration opens nothing). */
async function clickOpen(page: Page, trigger: string, opened: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    await page.getByTestId(trigger).click();
    if (await page.locator(opened).first().isVisible()) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`${trigger} did not open ${opened}`);
}

/** Signs in on the sign-in page the browser is on (or the tenant's), and waits for `then`. */
async function signIn(page: Page, slug: string, email: string, then = `/t/${slug}`): Promise<void> {
  if (path(page) !== `/t/${slug}/sign-in`) await page.goto(`${app.origin()}/t/${slug}/sign-in`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === then), page.click('[data-testid="sign-in"] button')]);
}

describe.skipIf(!hasChromium)('lessons in Chromium', () => {
  beforeAll(async () => {
    demo = await demoDatabase();
    ({ db, su } = demo);
    await buildApps(['lessons']);
    app = await startApp('lessons', db.urls.app);
    browser = await launchChromium();
    profiles = browserProfiles(browser);
  });

  afterAll(async () => {
    await profiles?.close();
    await browser?.close();
    await app?.stop();
    await demo?.drop();
  });

  // A fresh browser profile per test (no cookie carries over), each its own client address.
  const fresh = () => profiles.fresh();

  it("lets an acme owner write, edit, share and delete lesson plans, seeing only acme's", async () => {
    const page = await fresh();
    const acme = `${app.origin()}/t/acme`;

    // Not signed in: the tenant's sign-in page, which leads back to the page asked for.
    await page.goto(`${acme}/lessons/new`);
    expect(path(page)).toBe('/t/acme/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/t/acme/lessons/new');
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in to Acme Corp');
    await screenshot(page, 'lessons-sign-in');
    await signIn(page, 'acme', 'alice@acme.test', '/t/acme/lessons/new');
    // The shell names the workspace on every page.
    await expect(page.getByTestId('nav-tenant').textContent()).resolves.toBe('Acme Corp');

    // An empty title: a message at the field, and what was typed stays.
    const submit = page.locator('[data-testid="lesson-form"] button');
    await page.fill('#field-subject', 'Geography');
    await page.fill('#field-body', 'Name the rivers on the map.');
    await submit.click();
    await expect(page.getByTestId('error-title').textContent()).resolves.toBe('Title is required');
    await expect(page.inputValue('#field-subject')).resolves.toBe('Geography');
    await expect(page.inputValue('#field-body')).resolves.toBe('Name the rivers on the map.');
    await expect(page.getByTestId('error-subject').count()).resolves.toBe(0);
    await screenshot(page, 'lessons-new-field-error');
    await page.fill('#field-title', 'x'.repeat(201));
    await submit.click();
    await page.getByTestId('error-title').filter({ hasText: 'Title is at most 200 characters' }).waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(/at \w+ \(|node_modules/);

    // Created: its own page, private at first.
    await page.fill('#field-title', 'Rivers of Europe');
    await Promise.all([page.waitForURL((url) => /^\/t\/acme\/lessons\/[0-9a-f-]{36}$/.test(url.pathname)), submit.click()]);
    const id = path(page).split('/').at(-1)!;
    expect(id).toMatch(ID);
    await expect(page.getByTestId('lesson-title').textContent()).resolves.toBe('Rivers of Europe');
    await expect(page.getByTestId('lesson-visibility').textContent()).resolves.toBe('private');
    const [row] = await su<{ slug: string; email: string; shared: boolean }[]>`
      select t.slug, u.email, p.shared from lesson_plans p join tenants t on t.id = p.tenant_id join users u on u.id = p.author_id where p.id = ${id}`;
    expect(row).toEqual({ slug: 'acme', email: 'alice@acme.test', shared: false });

    // Edited.
    await page.fill('#field-title', 'Rivers and lakes of Europe');
    await page.locator('[data-testid="lesson-form"] button').click();
    await page.getByTestId('saved').waitFor();
    await page.getByTestId('lesson-title').filter({ hasText: 'Rivers and lakes of Europe' }).waitFor();
    await expect(su`select title from lesson_plans where id = ${id}`).resolves.toEqual([{ title: 'Rivers and lakes of Europe' }]);

    // Shared inside the tenant.
    await page.locator('[data-testid="share"] button').click();
    await page.getByTestId('lesson-visibility').filter({ hasText: 'shared with Acme Corp' }).waitFor();
    await expect(page.locator('[data-testid="share"] button').textContent()).resolves.toBe('Stop sharing');
    await expect(su`select shared from lesson_plans where id = ${id}`).resolves.toEqual([{ shared: true }]);
    await screenshot(page, 'lessons-lesson-acme');

    // The list: acme's plans only, the new one among them.
    await page.goto(acme);
    const listed = await listedPlanIds(page);
    const acmeIds = new Set(await planIds('acme'));
    expect(listed).toContain(id);
    expect(listed.filter((p) => !acmeIds.has(p))).toEqual([]);
    expect(listed).toHaveLength(acmeIds.size);
    await screenshot(page, 'lessons-list-acme');

    // Deleted: one of her seeded plans, from its page.
    const [doomed] = await planIds('acme', 'private');
    await page.goto(`${acme}/lessons/${doomed}`);
    // Behind a confirmation: cancelled, nothing happens; confirmed, the plan is gone.
    await clickOpen(page, 'delete', '[role="alertdialog"]');
    await screenshot(page, 'lessons-delete-confirm');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await expect(su`select 1 from lesson_plans where id = ${doomed!}`).resolves.toHaveLength(1);
    await clickOpen(page, 'delete', '[role="alertdialog"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/acme'), page.getByTestId('confirm-action').click()]);
    await page.getByTestId('deleted').waitFor();
    expect(await listedPlanIds(page)).not.toContain(doomed);
    await expect(su`select 1 from lesson_plans where id = ${doomed!}`).resolves.toHaveLength(0);

    // Globex's plan, by id, under acme: as unknown as a made-up id.
    const [globexPlan] = await planIds('globex');
    const foreign = await page.goto(`${acme}/lessons/${globexPlan}`);
    expect(foreign?.status()).toBe(404);
    await expect(page.locator('body').textContent()).resolves.not.toContain('Globex');
    await screenshot(page, 'lessons-foreign-lesson-404');
    expect((await page.goto(`${acme}/lessons/not-an-id`))?.status()).toBe(404);
    expect((await page.goto(`${acme}/lessons/${doomed}`))?.status()).toBe(404);

    // The audit trail, newest first: the delete, the share, the edit, the create.
    await page.goto(`${acme}/audit`);
    const events = await page
      .locator('[data-testid="audit-event"]')
      .evaluateAll((rows) => rows.map((r) => ({ action: r.getAttribute('data-action'), target: r.getAttribute('data-target'), actor: r.querySelector('[data-testid="audit-actor"]')?.textContent })));
    expect(events.slice(0, 4)).toEqual([
      { action: 'lesson.delete', target: doomed, actor: 'Alice Acme <alice@acme.test>' },
      { action: 'lesson.share', target: id, actor: 'Alice Acme <alice@acme.test>' },
      { action: 'lesson.update', target: id, actor: 'Alice Acme <alice@acme.test>' },
      { action: 'lesson.create', target: id, actor: 'Alice Acme <alice@acme.test>' },
    ]);
    await screenshot(page, 'lessons-audit');

    // The user menu signs out to this workspace's own sign-in page.
    await page.goto(acme);
    await clickOpen(page, 'user-menu', '[data-testid="menu-sign-out"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/acme/sign-in'), page.getByTestId('menu-sign-out').click()]);
    await page.goto(acme);
    expect(path(page)).toBe('/t/acme/sign-in');
  });

  it("shows a member colleagues' shared plans read-only, never their private ones, and switches tenants on one session", async () => {
    const page = await fresh();
    const acme = `${app.origin()}/t/acme`;
    await signIn(page, 'acme', 'dave@example.test');
    const shared = new Set(await planIds('acme', 'shared'));
    const listed = await listedPlanIds(page);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((p) => !shared.has(p))).toEqual([]);
    await screenshot(page, 'lessons-list-member');

    // A colleague's shared plan: readable, not editable.
    await page.goto(`${acme}/lessons/${listed[0]}`);
    await page.getByTestId('lesson-body').waitFor();
    await expect(page.getByTestId('lesson-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('delete').count()).resolves.toBe(0);
    await screenshot(page, 'lessons-lesson-read-only');
    // A colleague's private plan: 404, as if it did not exist.
    const [privatePlan] = await planIds('acme', 'private');
    expect((await page.goto(`${acme}/lessons/${privatePlan}`))?.status()).toBe(404);
    // The audit trail is for owners and admins.
    expect((await page.goto(`${acme}/audit`))?.status()).toBe(403);
    await expect(page.getByTestId('forbidden').textContent()).resolves.toContain('does not allow this');
    await expect(page.getByTestId('audit').count()).resolves.toBe(0);

    // The same session serves globex (one host): its plans only.
    await page.goto(acme);
    await clickOpen(page, 'workspace-switcher', '[data-testid="switch-globex"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/globex'), page.getByTestId('switch-globex').click()]);
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('Globex');
    const globex = new Set(await planIds('globex'));
    const inGlobex = await listedPlanIds(page);
    expect(inGlobex.length).toBeGreaterThan(0);
    expect(inGlobex.filter((p) => !globex.has(p))).toEqual([]);
    await screenshot(page, 'lessons-switch-to-globex');

    // Signed out: back to the sign-in page, and the plans are closed again.
    await page.goto(`${acme}/sign-out`);
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/acme/sign-in'), page.locator('[data-testid="sign-out"] button').click()]);
    await page.goto(acme);
    expect(path(page)).toBe('/t/acme/sign-in');
  });

  it('pages through a long audit trail, newest first, without gaps or repeats', async () => {
    // 30 events of one statement share a created_at: the keyset's id breaks the tie.
    await su`
      insert into audit_events (tenant_id, action, target)
      select t.id, 'lesson.import', 'plan-' || lpad(g::text, 2, '0') from tenants t, generate_series(1, 30) g where t.slug = 'initech'`;
    const page = await fresh();
    const initech = `${app.origin()}/t/initech`;
    await signIn(page, 'initech', 'carol@initech.test');
    await page.goto(`${initech}/audit`);
    const targets = () => page.locator('[data-testid="audit-event"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-target') ?? ''));
    const first = await targets();
    expect(first).toHaveLength(25);
    await expect(page.getByTestId('newest').count()).resolves.toBe(0);
    await Promise.all([page.waitForURL((url) => url.searchParams.has('cursor')), page.getByTestId('older').click()]);
    const second = await targets();
    expect(second).toHaveLength(5);
    await expect(page.getByTestId('older').count()).resolves.toBe(0);
    await page.getByTestId('newest').waitFor();
    await screenshot(page, 'lessons-audit-older');
    const all = [...first, ...second];
    expect(new Set(all).size).toBe(30);
    const [trail] = await su<{ ids: string[] }[]>`
      select array_agg(e.target order by e.created_at desc, e.id desc) as ids from audit_events e join tenants t on t.id = e.tenant_id where t.slug = 'initech'`;
    expect(all).toEqual(trail?.ids);
    // A cursor the page did not make (edited by hand) shows the first page, as in the other apps: not a 404, not an error page.
    expect((await page.goto(`${initech}/audit?cursor=not-a-cursor`))?.status()).toBe(200);
    await expect(targets()).resolves.toEqual(first);
    await expect(page.getByTestId('newest').count()).resolves.toBe(0);
  });

  it('refuses a non-member at /t/globex with a 404', async () => {
    const page = await fresh();
    const globex = `${app.origin()}/t/globex`;
    await page.goto(`${globex}/sign-in`);
    // Her password is right, but she is not a member: the workspace answers 404, showing nothing.
    const answer = await submitSignIn(page, 'alice@acme.test', '/t/globex');
    expect(answer.status()).toBe(404);
    await expect(page.locator('[data-testid="lessons"]').count()).resolves.toBe(0);
    await screenshot(page, 'lessons-non-member-404');
    const [globexPlan] = await planIds('globex', 'shared');
    for (const suffix of ['', '/lessons/new', `/lessons/${globexPlan}`, '/audit']) {
      expect((await page.goto(`${globex}${suffix}`))?.status(), `/t/globex${suffix}`).toBe(404);
    }
    // Her own tenant still works, and a tenant that does not exist is a 404 too.
    expect((await page.goto(`${app.origin()}/t/acme`))?.status()).toBe(200);
    expect((await page.goto(`${app.origin()}/t/nosuchtenant`))?.status()).toBe(404);
  });
});
