import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database } from '@studio/tenancy';
import postgres from 'postgres';
import { createAuth, createDevMailer, seedDemoCredentials, type Auth, type DevMailer } from '../src/index';

export const ORIGIN = 'http://acme.localhost:3001';
export const PASSWORD = 'demo-password';

export interface AuthWorld {
  testDb: TestDatabase;
  db: Database;
  auth: Auth;
  mailer: DevMailer;
  owner: postgres.Sql;
  ids: Record<'acme' | 'globex' | 'initech', string>;
  /** Calls an auth endpoint the way a browser on acme.localhost would. */
  call(path: string, init?: { body?: unknown; cookie?: string; method?: string; origin?: string }): Promise<Response>;
  /** Signs in (seeded users have PASSWORD) and returns the Cookie header to send. */
  signIn(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookieFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

export async function authWorld(): Promise<AuthWorld> {
  const testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  await seedDemoCredentials(testDb.urls.owner, PASSWORD);
  const owner = postgres(testDb.urls.owner, { max: 2, onnotice: () => {} });
  const rows = await owner<{ id: string; slug: string }[]>`select id, slug from tenants`;
  const ids = Object.fromEntries(rows.map((r) => [r.slug, r.id])) as AuthWorld['ids'];
  const db = createDatabase({ url: testDb.urls.app });
  const mailer = createDevMailer({ log: () => {} });
  const auth = createAuth({
    url: testDb.urls.auth,
    db,
    secret: 'test-secret-test-secret-test-secret-0123',
    baseURL: { allowedHosts: ['localhost:3001', '*.localhost:3001'], fallback: 'http://localhost:3001', protocol: 'http' },
    trustedOrigins: ['http://localhost:3001', 'http://*.localhost:3001'],
    mailer,
    invitationLink: ({ id, tenantSlug }) => `http://${tenantSlug}.localhost:3001/invite/${id}`,
  });

  async function call(path: string, init: { body?: unknown; cookie?: string; method?: string; origin?: string } = {}) {
    const origin = init.origin ?? ORIGIN;
    const headers: Record<string, string> = { origin, 'content-type': 'application/json' };
    // The URL is always acme's host: `origin` is what the browser says the page came from.
    if (init.cookie) headers.cookie = init.cookie;
    return auth.auth.handler(
      new Request(`${ORIGIN}/api/auth${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    );
  }

  async function signIn(email: string, password = PASSWORD) {
    const response = await call('/sign-in/email', { body: { email, password } });
    if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
    return cookieFrom(response);
  }

  return {
    testDb,
    db,
    auth,
    mailer,
    owner,
    ids,
    call,
    signIn,
    async close() {
      await auth.close();
      await db.close();
      await owner.end();
      await testDb.drop();
    },
  };
}

/** Request headers as the proxy forwards them: the resolved tenant, and the caller's credentials. */
export function forwarded(tenantId: string, credentials: { cookie?: string; bearer?: string } = {}): Headers {
  const headers = new Headers({ 'x-tenant-id': tenantId, 'x-tenant-source': 'subdomain' });
  if (credentials.cookie) headers.set('cookie', credentials.cookie);
  if (credentials.bearer) headers.set('authorization', `Bearer ${credentials.bearer}`);
  return headers;
}
