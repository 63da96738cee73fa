/** What every browser test starts from: the demo database, fresh browser profiles, a sign-in. */
import { DEMO_PASSWORD, seedDemoCredentials } from '@studio/auth';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import postgres from 'postgres';

export interface DemoDatabase {
  db: TestDatabase;
  /** The superuser: reads every tenant's rows to check what the app wrote (FORCE RLS binds the owner). */
  su: postgres.Sql;
  /** Demo tenant ids by slug. */
  ids: Record<string, string>;
  drop(): Promise<void>;
}

/** A throw-away database with the demo tenants, users and their password (DEMO_PASSWORD). */
export async function demoDatabase(): Promise<DemoDatabase> {
  const db = await createTestDatabase();
  await seedDemo(db.urls.owner);
  await seedDemoCredentials(db.urls.owner);
  const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
  const ids: Record<string, string> = {};
  for (const row of await su<{ id: string; slug: string }[]>`select id, slug from tenants`) ids[row.slug] = row.id;
  return {
    db,
    su,
    ids,
    async drop() {
      await su.end();
      await db.drop();
    },
  };
}

/**
 * Browser profiles, one after another: `fresh()` closes the previous one, so no cookie carries
 * over. Each is a different client address to Better Auth's sign-in rate limit (3 per 10 s per
 * address), as people are: `x-forwarded-for` <subnet>.<n>.
 */
export function browserProfiles(browser: Browser, options: { width?: number; subnet?: string } = {}) {
  let context: BrowserContext | undefined;
  let clients = 0;
  return {
    async fresh(): Promise<Page> {
      await context?.close();
      clients++;
      context = await browser.newContext({
        viewport: { width: options.width ?? 1100, height: 800 },
        extraHTTPHeaders: { 'x-forwarded-for': `${options.subnet ?? '198.51.100'}.${clients}` },
      });
      return context.newPage();
    },
    async close(): Promise<void> {
      await context?.close();
    },
  };
}

/**
 * Fills the sign-in form the page shows and submits it; resolves with the document the browser
 * then loads at `landing` (a path), whatever its status: a refusal is a result too.
 */
export async function submitSignIn(page: Page, email: string, landing: string, password = DEMO_PASSWORD): Promise<Response> {
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === landing && r.request().resourceType() === 'document'),
    page.click('[data-testid="sign-in"] button'),
  ]);
  // The response is in, but the page has not moved yet: a goto now could be cancelled when the
  // landing commits ("interrupted by another navigation"). Return once it has loaded.
  await page.waitForURL((url) => url.pathname === landing);
  return answer;
}
