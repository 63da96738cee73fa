import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedRedis } from '../src/cache';
import { createQuotas, QuotaExceededError, quotaExceededResponse } from '../src/quotas';
import { InvalidTenantIdError, TenantReadOnlyError } from '../src/index';
import { tenancyErrorResponse } from '../src/next';

const ACME = { tenantId: '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c' };
const GLOBEX = { tenant: { id: '5d2f1c3b-8e9a-4b7c-a6d5-e4f3a2b1c0d9' } };
const redisUrl = process.env.REDIS_URL?.trim();
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

function redis(): Redis {
  const client = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

// A fresh prefix per run, so runs on a shared Redis never share buckets.
const prefix = `studio-test:${process.pid}:${Date.now()}:quota`;
const variants: [string, () => ReturnType<typeof createQuotas<'export' | 'pdf'>>, boolean][] = [
  ['in process', () => createQuotas({ export: { points: 3, perSeconds: 60 }, pdf: { points: 10, perSeconds: 60 } }, { prefix: `${prefix}:mem:${Math.random()}` }), true],
  // Redis runs where REDIS_URL is set (CI's service phase).
  [
    'in Redis',
    () => createQuotas({ export: { points: 3, perSeconds: 60 }, pdf: { points: 10, perSeconds: 60 } }, { redis: redis(), prefix: `${prefix}:redis:${Math.random()}` }),
    Boolean(redisUrl),
  ],
];

describe.each(variants)('per-tenant quotas %s', (_name, make, available) => {
  it.runIf(available)('one tenant exhausting its export quota leaves the other tenant’s untouched', async () => {
    const quotas = make();
    for (let i = 0; i < 3; i++) await quotas.consume(ACME, 'export');
    const refused = await quotas.consume(ACME, 'export').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuotaExceededError);
    expect(refused).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED', operation: 'export', tenantId: ACME.tenantId });
    expect((refused as QuotaExceededError).retryAfterSeconds).toBeGreaterThan(0);
    // Globex still has all of its exports; acme still has its PDFs.
    expect(await quotas.consume(GLOBEX, 'export')).toMatchObject({ remaining: 2 });
    expect(await quotas.consume(ACME, 'pdf')).toMatchObject({ remaining: 9 });
    expect(await quotas.remaining(ACME, 'export')).toMatchObject({ remaining: 0 });
    // What a usage meter shows: "3 of 3", and "1 of 3" for the tenant that used one.
    expect(await quotas.usage(ACME, 'export')).toMatchObject({ used: 3, limit: 3, perSeconds: 60 });
    expect(await quotas.usage(GLOBEX, 'export')).toMatchObject({ used: 1, limit: 3 });
    await quotas.reset(ACME, 'export');
    expect(await quotas.remaining(ACME, 'export')).toMatchObject({ remaining: 3 });
    expect(await quotas.usage(ACME, 'export')).toMatchObject({ used: 0, limit: 3 });
  });

  it.runIf(available)('counts a cost of several units', async () => {
    const quotas = make();
    await quotas.consume(ACME, 'pdf', 8);
    await expect(quotas.consume(ACME, 'pdf', 3)).rejects.toBeInstanceOf(QuotaExceededError);
  });
});

describe('quotas on a Redis that cannot be reached', () => {
  it('count in this process instead (the insurance limiter): no call fails, the shares and the quota still hold', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    // The process's shared client, as an app with REDIS_URL gets; nothing listens on the port.
    const quotas = createQuotas({ export: { points: 2, perSeconds: 60, perPerson: 1 } }, { redisUrl: `redis://127.0.0.1:${port}`, prefix });
    const as = (userId: string) => ({ ...ACME, session: { userId } });
    try {
      expect(await quotas.consume(as('u1'), 'export')).toMatchObject({ remaining: 1 });
      await expect(quotas.consume(as('u1'), 'export')).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', holder: 'person' });
      expect(await quotas.consume(as('u2'), 'export')).toMatchObject({ remaining: 0 });
      await expect(quotas.consume(as('u3'), 'export')).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', holder: 'tenant' });
      expect(await quotas.remaining(ACME, 'export')).toMatchObject({ remaining: 0 });
    } finally {
      await closeSharedRedis();
    }
  });
});

describe('quota answers', () => {
  it('route handlers answer a quota as 429 and a read-only tenant (being moved) as 503, both with Retry-After', async () => {
    const quota = tenancyErrorResponse(new QuotaExceededError('export', ACME.tenantId, 42))!;
    expect(quota.status).toBe(429);
    const readOnly = tenancyErrorResponse(new TenantReadOnlyError(ACME.tenantId, 'moving to another database'))!;
    expect(readOnly.status).toBe(503);
    expect(readOnly.headers.get('retry-after')).toBe('30');
    expect(await readOnly.json()).toMatchObject({ error: { code: 'TENANT_READ_ONLY', message: expect.stringContaining('moving to another database') } });
    expect(tenancyErrorResponse(new Error('anything else'))).toBeNull();
  });

  it('becomes a 429 with Retry-After', async () => {
    const response = quotaExceededResponse(new QuotaExceededError('export', ACME.tenantId, 42));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
    expect(await response.json()).toMatchObject({ error: { code: 'QUOTA_EXCEEDED', operation: 'export' } });
  });

  it('refuses a scope without a tenant and an undeclared operation', async () => {
    const quotas = createQuotas({ export: { points: 1, perSeconds: 1 } });
    await expect(quotas.consume({ tenantId: 'nope' }, 'export')).rejects.toBeInstanceOf(InvalidTenantIdError);
    await expect(quotas.consume(ACME, 'bulk' as 'export')).rejects.toThrow(/No quota named bulk/);
    expect(() => createQuotas({ Export: { points: 1, perSeconds: 1 } })).toThrow(TypeError);
  });
});
