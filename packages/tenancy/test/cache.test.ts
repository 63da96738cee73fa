import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheKeyError, cacheStoreFor, closeSharedRedis, memoryCacheStore, redisCacheStore, tenantCache, tenantTag, type CacheStore } from '../src/cache';
import { InvalidTenantIdError } from '../src/index';

const ACME = { tenantId: '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c' };
const GLOBEX = { tenant: { id: '5d2f1c3b-8e9a-4b7c-a6d5-e4f3a2b1c0d9' } };

const redisUrl = process.env.REDIS_URL?.trim();
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

/** A fresh namespace per test run, so runs and processes never see each other's keys. */
const prefix = `studio-test:${process.pid}:${Date.now()}:`;
function redisStore(): CacheStore {
  const client = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return redisCacheStore(client, { prefix });
}

const stores: [string, () => CacheStore, boolean][] = [
  ['in-process store', () => memoryCacheStore(), true],
  // Redis runs where REDIS_URL is set (CI's service phase); a fresh machine has no Redis.
  ['Redis store', redisStore, Boolean(redisUrl)],
];

describe.each(stores)('tenant cache on the %s', (_name, makeStore, available) => {
  it.runIf(available)('two tenants setting the same logical key never read each other’s value', async () => {
    const store = makeStore();
    await tenantCache(ACME, store).set(['invoice', 42], { total: 100 });
    await tenantCache(GLOBEX, store).set(['invoice', 42], { total: 999 });
    expect(await tenantCache(ACME, store).get(['invoice', 42])).toEqual({ total: 100 });
    expect(await tenantCache(GLOBEX, store).get(['invoice', 42])).toEqual({ total: 999 });
    await tenantCache(ACME, store).delete(['invoice', 42]);
    expect(await tenantCache(ACME, store).get(['invoice', 42])).toBeUndefined();
    expect(await tenantCache(GLOBEX, store).get(['invoice', 42])).toEqual({ total: 999 });
  });

  it.runIf(available)('invalidateAll drops every key of one tenant, on every client of the store', async () => {
    const store = makeStore();
    // On Redis, a second connection stands in for another process of the app.
    const other = _name.startsWith('Redis') ? redisStore() : store;
    for (const k of ['a', 'b', 'c']) {
      await tenantCache(ACME, store).set([k], k);
      await tenantCache(GLOBEX, store).set([k], k);
    }
    await tenantCache(ACME, other).invalidateAll();
    for (const k of ['a', 'b', 'c']) {
      expect(await tenantCache(ACME, store).get([k])).toBeUndefined();
      expect(await tenantCache(GLOBEX, store).get([k])).toBe(k);
    }
    await tenantCache(ACME, store).set(['a'], 'fresh');
    expect(await tenantCache(ACME, other).get(['a'])).toBe('fresh');
  });

  it.runIf(available)('wrap computes a missing value once for concurrent callers, then serves it', async () => {
    const store = makeStore();
    let calls = 0;
    const compute = async () => {
      calls++;
      await sleep(20);
      return { n: calls };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => tenantCache(ACME, store).wrap(['report'], compute)));
    expect(results).toEqual(Array(5).fill({ n: 1 }));
    expect(await tenantCache(ACME, store).wrap(['report'], compute)).toEqual({ n: 1 });
    expect(calls).toBe(1);
    // Same logical key, other tenant: computed for that tenant.
    expect(await tenantCache(GLOBEX, store).wrap(['report'], async () => ({ n: 'globex' }))).toEqual({ n: 'globex' });
  });

  it.runIf(available)('expires entries after their TTL', async () => {
    const store = makeStore();
    // A second, not 50 ms: on a loaded CI machine the read right after the write once came later
    // than 50 ms and found the entry already gone.
    await tenantCache(ACME, store).set(['short'], 1, { ttlMs: 1_000 });
    expect(await tenantCache(ACME, store).get(['short'])).toBe(1);
    await sleep(1_200);
    expect(await tenantCache(ACME, store).get(['short'])).toBeUndefined();
  });

  it.runIf(available)('a tag makes its values stale for one tenant, on every client of the store; untagged values stay', async () => {
    const store = makeStore();
    const other = _name.startsWith('Redis') ? redisStore() : store;
    const totals = { ttlMs: 60_000, tags: ['invoices', 'customers'] };
    await tenantCache(ACME, store).set(['totals'], 1, totals);
    await tenantCache(ACME, store).set(['plans'], 'p', { tags: ['lessons'] });
    await tenantCache(ACME, store).set(['plain'], 'x');
    await tenantCache(GLOBEX, store).set(['totals'], 2, totals);
    await tenantCache(ACME, other).invalidateTags(['customers']);
    expect(await tenantCache(ACME, store).get(['totals'])).toBeUndefined();
    expect(await tenantCache(ACME, store).get(['plans'])).toBe('p');
    expect(await tenantCache(ACME, store).get(['plain'])).toBe('x');
    // The same tag of another tenant is another tag.
    expect(await tenantCache(GLOBEX, store).get(['totals'])).toBe(2);
    // Stored again after the invalidation: fresh, and seen by the other client.
    expect(await tenantCache(ACME, store).wrap(['totals'], async () => 3, totals)).toBe(3);
    expect(await tenantCache(ACME, other).get(['totals'])).toBe(3);
    await tenantCache(ACME, other).invalidateAll();
    expect(await tenantCache(ACME, store).get(['plans'])).toBeUndefined();
  });

  it.runIf(available)('a value computed while its tag was invalidated is stored as stale: the next read computes again', async () => {
    const store = makeStore();
    const other = _name.startsWith('Redis') ? redisStore() : store;
    let computed = 0;
    const compute = async () => {
      computed++;
      // A write elsewhere commits and invalidates while this value is being computed.
      if (computed === 1) await tenantCache(ACME, other).invalidateTags(['invoices']);
      return computed;
    };
    expect(await tenantCache(ACME, store).wrap(['totals'], compute, { tags: ['invoices'] })).toBe(1);
    expect(await tenantCache(ACME, store).wrap(['totals'], compute, { tags: ['invoices'] })).toBe(2);
    expect(await tenantCache(ACME, store).wrap(['totals'], compute, { tags: ['invoices'] })).toBe(2);
  });

  it.runIf(available)('keeps parts apart: ["a:b"] is not ["a", "b"]', async () => {
    const store = makeStore();
    await tenantCache(ACME, store).set(['a:b'], 'one');
    await tenantCache(ACME, store).set(['a', 'b'], 'two');
    expect(await tenantCache(ACME, store).get(['a:b'])).toBe('one');
    expect(await tenantCache(ACME, store).get(['a', 'b'])).toBe('two');
  });
});

describe('a store that cannot be reached', () => {
  it('wrap computes the value without the cache; the explicit calls say what failed', async () => {
    // A port nobody listens on: the process's shared client for it, as an app with REDIS_URL gets.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const store = cacheStoreFor(`redis://127.0.0.1:${port}`, { prefix });
    try {
      let calls = 0;
      const compute = async () => ++calls;
      expect(await tenantCache(ACME, store).wrap(['totals'], compute, { tags: ['invoices'] })).toBe(1);
      expect(await tenantCache(ACME, store).wrap(['totals'], compute, { tags: ['invoices'] })).toBe(2);
      await expect(tenantCache(ACME, store).invalidateTags(['invoices'])).rejects.toThrow();
    } finally {
      await closeSharedRedis();
    }
  });
});

describe('keys are built, never given', () => {
  it('refuses a scope without a valid tenant and keys without parts', async () => {
    expect(() => tenantCache({ tenantId: 'acme' })).toThrow(InvalidTenantIdError);
    expect(() => tenantCache({ tenant: { id: '' } })).toThrow(InvalidTenantIdError);
    await expect(tenantCache(ACME).get([])).rejects.toBeInstanceOf(CacheKeyError);
    await expect(tenantCache(ACME).get([''])).rejects.toBeInstanceOf(CacheKeyError);
    await expect(tenantCache(ACME).set(['x'], undefined)).rejects.toBeInstanceOf(CacheKeyError);
    await expect(tenantCache(ACME).set(['x'], 1, { tags: [''] })).rejects.toBeInstanceOf(CacheKeyError);
  });

  it('prefixes Next.js cache tags with the tenant', () => {
    expect(tenantTag(ACME, 'invoices')).toBe(`tenant:${ACME.tenantId}:invoices`);
    expect(tenantTag(GLOBEX, 'invoices')).not.toBe(tenantTag(ACME, 'invoices'));
    expect(tenantTag(ACME, 'a:b')).toBe(`tenant:${ACME.tenantId}:a%3Ab`);
  });
});
