/**
 * The tenant cache (C8). Keys are built only here, as `tenant:<id>:<generation>:<parts>`: no
 * API takes a raw key, so a cached value cannot be read from another tenant's request.
 * `invalidateAll()` bumps the tenant's generation, which orphans all of its keys at once (they
 * expire by their TTL). Values are JSON, on either store: in-process (default) or Redis
 * (REDIS_URL), the same behaviour.
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { TenancyError } from './errors';
import { scopeTenantId, type TenantScope } from './scope';

/** Where values live. Implementations only ever see keys built by this module. */
export interface CacheStore {
  /** The value under `tenant:<id>:<generation>:<rest>` at the tenant's current generation. */
  get(tenantId: string, rest: string): Promise<string | undefined>;
  set(tenantId: string, rest: string, value: string, ttlMs: number): Promise<void>;
  delete(tenantId: string, rest: string): Promise<void>;
  /** Moves the tenant to a new generation: every key it had is gone. */
  bump(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

export class CacheKeyError extends TenancyError {
  constructor(message: string) {
    super('CACHE_KEY_INVALID', message);
  }
}

export type { TenantScope };

/** Parts are escaped, so ['a:b'] and ['a', 'b'] are different keys. */
function encodeParts(parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new CacheKeyError('A cache key needs at least one part, e.g. tenantCache(ctx).get(["invoice", id]).');
  return parts
    .map((part) => {
      if ((typeof part !== 'string' && typeof part !== 'number') || part === '') {
        throw new CacheKeyError(`Cache key parts are non-empty strings or numbers, got ${JSON.stringify(part)}.`);
      }
      return encodeURIComponent(String(part));
    })
    .join(':');
}

const DEFAULT_TTL_MS = 5 * 60_000;

export interface TenantCache {
  readonly tenantId: string;
  get<T>(parts: readonly (string | number)[]): Promise<T | undefined>;
  set<T>(parts: readonly (string | number)[], value: T, options?: { ttlMs?: number }): Promise<void>;
  delete(parts: readonly (string | number)[]): Promise<void>;
  /** The cached value, or `compute()`'s, stored. Concurrent misses in this process compute once. */
  wrap<T>(parts: readonly (string | number)[], compute: () => Promise<T>, options?: { ttlMs?: number }): Promise<T>;
  /** Drops every key of this tenant, on every process sharing the store. */
  invalidateAll(): Promise<void>;
}

const inflight = new Map<string, Promise<unknown>>();

export function tenantCache(scope: TenantScope, store: CacheStore = defaultCacheStore()): TenantCache {
  const tenantId = scopeTenantId(scope);
  const cache: TenantCache = {
    tenantId,
    async get<T>(parts: readonly (string | number)[]) {
      const raw = await store.get(tenantId, encodeParts(parts));
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async set(parts, value, options = {}) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new CacheKeyError('Only JSON values can be cached (not undefined or functions).');
      await store.set(tenantId, encodeParts(parts), json, options.ttlMs ?? DEFAULT_TTL_MS);
    },
    async delete(parts) {
      await store.delete(tenantId, encodeParts(parts));
    },
    async wrap<T>(parts: readonly (string | number)[], compute: () => Promise<T>, options: { ttlMs?: number } = {}) {
      const hit = await cache.get<T>(parts);
      if (hit !== undefined) return hit;
      const key = `${tenantId}:${encodeParts(parts)}`;
      const running = inflight.get(key) as Promise<T> | undefined;
      if (running) return running;
      const work = (async () => {
        const value = await compute();
        await cache.set(parts, value, options);
        return value;
      })().finally(() => inflight.delete(key));
      inflight.set(key, work);
      return work;
    },
    invalidateAll: () => store.bump(tenantId),
  };
  return cache;
}

/** A Next.js cache tag for this tenant (`revalidateTag(tenantTag(ctx, 'invoices'))`). */
export function tenantTag(scope: TenantScope, name: string): string {
  return `tenant:${scopeTenantId(scope)}:${encodeParts([name])}`;
}

/** In-process store: an LRU of entries with their own TTL; generations in a map. */
export function memoryCacheStore(options: { max?: number } = {}): CacheStore {
  const entries = new LRUCache<string, string>({ max: options.max ?? 50_000, ttlAutopurge: false });
  const generations = new Map<string, number>();
  const key = (tenantId: string, rest: string) => `tenant:${tenantId}:${generations.get(tenantId) ?? 0}:${rest}`;
  return {
    async get(tenantId, rest) {
      return entries.get(key(tenantId, rest));
    },
    async set(tenantId, rest, value, ttlMs) {
      entries.set(key(tenantId, rest), value, { ttl: ttlMs });
    },
    async delete(tenantId, rest) {
      entries.delete(key(tenantId, rest));
    },
    async bump(tenantId) {
      generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
    },
    async close() {
      entries.clear();
    },
  };
}

// Reads the generation and the value in one round trip, so a bump elsewhere is seen at once.
const GET = `local g = redis.call('GET', KEYS[1]) or '0'
return redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])`;
const SET = `local g = redis.call('GET', KEYS[1]) or '0'
redis.call('SET', ARGV[1] .. g .. ':' .. ARGV[2], ARGV[3], 'PX', ARGV[4])`;
const DEL = `local g = redis.call('GET', KEYS[1]) or '0'
redis.call('DEL', ARGV[1] .. g .. ':' .. ARGV[2])`;

/** Redis store (ioredis): the same keys, shared by every process of the app. */
export function redisCacheStore(redis: Redis, options: { prefix?: string } = {}): CacheStore {
  const prefix = options.prefix ?? 'studio:';
  const base = (tenantId: string) => `${prefix}tenant:${tenantId}:`;
  const gen = (tenantId: string) => `${prefix}tenant:${tenantId}:generation`;
  return {
    async get(tenantId, rest) {
      const value = (await redis.eval(GET, 1, gen(tenantId), base(tenantId), rest)) as string | null;
      return value ?? undefined;
    },
    async set(tenantId, rest, value, ttlMs) {
      await redis.eval(SET, 1, gen(tenantId), base(tenantId), rest, value, String(Math.max(1, Math.round(ttlMs))));
    },
    async delete(tenantId, rest) {
      await redis.eval(DEL, 1, gen(tenantId), base(tenantId), rest);
    },
    async bump(tenantId) {
      await redis.incr(gen(tenantId));
    },
    async close() {
      await redis.quit();
    },
  };
}

let fallback: CacheStore | undefined;
let configured: CacheStore | undefined;

/** Sets the store `tenantCache(ctx)` uses by default (call once at start-up). */
export function setDefaultCacheStore(store: CacheStore): void {
  configured = store;
}

/** The configured store, or the in-process one. */
export function defaultCacheStore(): CacheStore {
  return configured ?? (fallback ??= memoryCacheStore());
}

/** A store for this environment: Redis when REDIS_URL is set, otherwise in-process. */
export async function cacheStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<CacheStore> {
  const url = env.REDIS_URL?.trim();
  if (!url) return memoryCacheStore();
  const { Redis } = await import('ioredis');
  return redisCacheStore(new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 }));
}
