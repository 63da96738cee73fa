/**
 * REDIS_URL moves the app's quotas and tenant cache out of the process (README, "Environment
 * variables"). Two processes of the invoices app, each building its quotas and its cache from the
 * environment through the app's own modules (test/fixtures/app-process.ts), share one export
 * quota and one dashboard cache, and a write's invalidation in one reaches the other. With
 * REDIS_URL unset, the same two processes share nothing: the control case, which always runs.
 *
 * The Redis cases need a Redis: they run when REDIS_URL is set and answers (CI's service phase
 * sets REDIS_URL=redis://127.0.0.1:6379 when it does), and are skipped, saying why, otherwise.
 * Every run uses tenants of its own (random ids, a fresh database), so its keys are its own: runs
 * in parallel on one Redis never meet, and the keys are deleted at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { customers, invoices } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { closeSharedRedis, sharedRedis } from '@studio/tenancy/cache';
import { createDatabase, type Database } from '@studio/tenancy';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = path.join(import.meta.dirname, '..');
const redisUrl = process.env.REDIS_URL?.trim() || undefined;

/** Why the Redis cases cannot run here, or null when they can. */
async function redisProblem(): Promise<string | null> {
  if (!redisUrl) return 'REDIS_URL is unset';
  try {
    await sharedRedis(redisUrl).ping();
    return null;
  } catch (error) {
    return `REDIS_URL is set but Redis does not answer (${(error as Error).message})`;
  }
}
const skipRedis = await redisProblem();
if (skipRedis) console.warn(`[redis.test] the cases that need Redis are skipped: ${skipRedis}.`);

interface Answer {
  ok: boolean;
  remaining?: number;
  totals?: { customers: number; invoices: { status: string; currency: string; invoices: number; cents: string }[] };
  code?: string;
  holder?: string;
  message?: string;
}

/** A process of the app, with its own REDIS_URL; ask() sends one request and waits for its answer. */
interface AppProcess {
  ask(request: Record<string, unknown>): Promise<Answer>;
  stop(): Promise<void>;
}

const running: ChildProcess[] = [];

async function startAppProcess(name: string, redis: string | undefined): Promise<AppProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@studio/source', '--conditions=react-server', path.join(appDir, 'test/fixtures/app-process.ts'), testDb.urls.app],
    { cwd: appDir, env: { ...process.env, REDIS_URL: redis ?? '' }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  running.push(child);
  const waiting = new Map<number, (answer: Answer) => void>();
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: { id?: number; ready?: number } & Answer;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not ours
    }
    if (message.ready) ready();
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`process ${name} exited (${String(code)}) before answering`);
  });
  exited.catch(() => {});
  await Promise.race([started, exited]);
  let next = 0;
  return {
    ask(request) {
      const id = ++next;
      const answer = new Promise<Answer>((resolve) => waiting.set(id, resolve));
      child.stdin!.write(`${JSON.stringify({ id, ...request })}\n`);
      return Promise.race([answer, exited]);
    },
    async stop() {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

let testDb: TestDatabase;
let db: Database;
let ids: Record<string, string>;
const usedTenants: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  ids = Object.fromEntries((await db.platform.listTenants()).map((t) => [t.slug, t.id]));
  usedTenants.push(ids.acme!, ids.globex!);
}, 60_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill();
  if (!skipRedis) {
    // This run's keys: its tenants' quota buckets and cache entries.
    const redis = sharedRedis(redisUrl!);
    for (const tenantId of usedTenants) {
      for (const pattern of [`studio:quota:*${tenantId}*`, `studio:tenant:${tenantId}:*`]) {
        for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
          if (keys.length > 0) await redis.del(...keys);
        }
      }
    }
  }
  await closeSharedRedis();
  await db?.close();
  await testDb?.drop();
});

/** A signed-in member spending one export of a tenant, through one process. */
const exportAs = (proc: AppProcess, tenantId: string, userId: string) => proc.ask({ op: 'consume', operation: 'export', tenantId, userId });

/** An invoice of acme written straight to the database: nothing invalidates the cache. */
async function addInvoiceBehindTheCache(): Promise<void> {
  const acme = await db.tenant(ids.acme!);
  const [customer] = await acme.select({ id: customers.id }).from(customers).limit(1);
  await acme.insert(invoices).values({ customerId: customer!.id, number: `R-${randomUUID()}`, amountCents: 12_345, currency: 'USD', status: 'draft' });
}

const drafts = (answer: Answer) => answer.totals!.invoices.filter((t) => t.status === 'draft' && t.currency === 'USD').reduce((n, t) => n + t.invoices, 0);

describe.skipIf(skipRedis)(`with REDIS_URL, two processes of the app${skipRedis ? ` (skipped: ${skipRedis})` : ''}`, () => {
  let a: AppProcess;
  let b: AppProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startAppProcess('A', redisUrl), startAppProcess('B', redisUrl)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('share one export quota: what a person spends through one, the other refuses; then the tenant’s', async () => {
    // The app's rule: 6 exports an hour per tenant, 2 per person.
    const tenant = randomUUID();
    const other = randomUUID();
    usedTenants.push(tenant, other);
    expect(await exportAs(a, tenant, 'u1')).toMatchObject({ ok: true, remaining: 5 });
    expect(await exportAs(a, tenant, 'u1')).toMatchObject({ ok: true, remaining: 4 });
    expect(await exportAs(b, tenant, 'u1')).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED', holder: 'person' });
    expect(await exportAs(b, tenant, 'u2')).toMatchObject({ ok: true, remaining: 3 });
    expect(await exportAs(b, tenant, 'u2')).toMatchObject({ ok: true, remaining: 2 });
    expect(await exportAs(a, tenant, 'u3')).toMatchObject({ ok: true, remaining: 1 });
    expect(await exportAs(b, tenant, 'u3')).toMatchObject({ ok: true, remaining: 0 });
    expect(await exportAs(a, tenant, 'u4')).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED', holder: 'tenant' });
    // Another tenant's quota is whole.
    expect(await exportAs(b, other, 'u1')).toMatchObject({ ok: true, remaining: 5 });
  });

  it('share the dashboard cache, and a write’s invalidation in one makes the other compute again', async () => {
    const first = await a.ask({ op: 'totals', tenantId: ids.acme });
    expect(first).toMatchObject({ ok: true, totals: { customers: expect.any(Number) } });
    await addInvoiceBehindTheCache();
    // B serves A's value: computed by B, it would count the new invoice.
    expect((await b.ask({ op: 'totals', tenantId: ids.acme })).totals).toEqual(first.totals);
    // Another tenant's totals are its own.
    const globex = await b.ask({ op: 'totals', tenantId: ids.globex });
    const [globexCustomers] = await (await db.tenant(ids.globex!)).select({ n: count() }).from(customers);
    expect(globex.totals!.customers).toBe(globexCustomers!.n);
    // The write's invalidation, in B; A computes again and sees the invoice.
    expect(await b.ask({ op: 'changed', tenantId: ids.acme, tags: ['invoices'] })).toMatchObject({ ok: true });
    const after = await a.ask({ op: 'totals', tenantId: ids.acme });
    expect(drafts(after)).toBe(drafts(first) + 1);
    expect((await b.ask({ op: 'totals', tenantId: ids.acme })).totals).toEqual(after.totals);
  });
});

describe('without REDIS_URL, two processes of the app (the control case)', () => {
  let a: AppProcess;
  let b: AppProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startAppProcess('A', undefined), startAppProcess('B', undefined)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('count each its own quota: a person’s spent share in one is whole in the other', async () => {
    const tenant = randomUUID();
    expect(await exportAs(a, tenant, 'u1')).toMatchObject({ ok: true, remaining: 5 });
    expect(await exportAs(a, tenant, 'u1')).toMatchObject({ ok: true, remaining: 4 });
    expect(await exportAs(a, tenant, 'u1')).toMatchObject({ ok: false, holder: 'person' });
    expect(await exportAs(b, tenant, 'u1')).toMatchObject({ ok: true, remaining: 5 });
  });

  it('cache each on its own: an invalidation in one does not reach the other (its value waits for its TTL)', async () => {
    const first = await a.ask({ op: 'totals', tenantId: ids.acme });
    await addInvoiceBehindTheCache();
    const fresh = await b.ask({ op: 'totals', tenantId: ids.acme });
    expect(drafts(fresh)).toBe(drafts(first) + 1);
    await b.ask({ op: 'changed', tenantId: ids.acme, tags: ['invoices'] });
    expect((await a.ask({ op: 'totals', tenantId: ids.acme })).totals).toEqual(first.totals);
  });
});
