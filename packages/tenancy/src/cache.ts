/**
 * The tenant cache (C8). Keys are built only here, from the tenant of a scope and escaped parts:
 * no API takes a raw key, so a cached value cannot be read from another tenant's request. Each
 * value is stored with the generations it was computed under: the tenant's own and those of its
 * tags. `invalidateTags(['invoices'])` bumps the tenant's generation of those tags, and
 * `invalidateAll()` the tenant's own, so every value stamped with an older one is stale at once
 * (and expires by its TTL). Values are JSON, on either store: in-process or Redis (REDIS_URL),
 * the same behaviour.
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { TenancyError } from './errors';
import { sharedRedis } from './internal/redis';
import { scopeTenantId, type TenantScope } from './internal/scope';

/**
 * What a store read: the value, if every generation it was stored with is still current, and a
 * stamp of the generations asked for as they were before the read (to store a value computed now).
 */
export interface CacheRead {
  value: string | undefined;
  stamp: string;
}

/**
 * Where values live. Implementations only ever see what this module built: a tenant id, the
 * escaped key `rest`, and generation names (`generation`, the tenant's own; `tag:<name>`).
 */
export interface CacheStore {
  read(tenantId: string, rest: string, generations: readonly string[]): Promise<CacheRead>;
  /** Stores the value with `stamp` (from read()), or with the current values of `generations`. */
  write(tenantId: string, rest: string, value: string, ttlMs: number, at: { stamp: string } | { generations: readonly string[] }): Promise<void>;
  delete(tenantId: string, rest: string): Promise<void>;
  /** Moves these generations of the tenant on: every value stored with an older one is stale. */
  bump(tenantId: string, generations: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export class CacheKeyError extends TenancyError {
  constructor(message: string) {
    super('CACHE_KEY_INVALID', message);
  }
}

export type { TenantScope };
/** The process's one Redis client (the cache and the quotas share it), and closing it. */
export { closeSharedRedis, sharedRedis } from './internal/redis';

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

const TENANT_GENERATION = 'generation';

function generationsOf(tags: readonly string[] | undefined): string[] {
  const names = [TENANT_GENERATION];
  for (const tag of tags ?? []) {
    if (typeof tag !== 'string' || tag === '') throw new CacheKeyError(`Cache tags are non-empty strings, got ${JSON.stringify(tag)}.`);
    names.push(`tag:${encodeURIComponent(tag)}`);
  }
  return names;
}

/** A stamp: `name=generation` pairs, space-separated (names are escaped: no spaces, no '='). */
const stampOf = (names: readonly string[], values: readonly string[]) => names.map((name, i) => `${name}=${values[i] ?? '0'}`).join(' ');

function* stampEntries(stamp: string): Generator<[string, string]> {
  for (const pair of stamp.split(' ')) {
    const at = pair.indexOf('=');
    if (at > 0) yield [pair.slice(0, at), pair.slice(at + 1)];
  }
}

const DEFAULT_TTL_MS = 5 * 60_000;

export interface CacheOptions {
  /** How long the value may be served (default 5 minutes). */
  ttlMs?: number;
  /**
   * What the value is computed from, e.g. the tables it reads (`['invoices', 'customers']`):
   * `invalidateTags(['invoices'])` after a write to invoices makes it stale, for this tenant only.
   */
  tags?: readonly string[];
}

export interface TenantCache {
  readonly tenantId: string;
  get<T>(parts: readonly (string | number)[]): Promise<T | undefined>;
  set<T>(parts: readonly (string | number)[], value: T, options?: CacheOptions): Promise<void>;
  delete(parts: readonly (string | number)[]): Promise<void>;
  /**
   * The cached value, or `compute()`'s, stored. Concurrent misses in this process compute once. A
   * value computed while one of its tags was invalidated is stored as already stale. A store that
   * fails (Redis down) does not fail the call: the value is computed and not stored.
   */
  wrap<T>(parts: readonly (string | number)[], compute: () => Promise<T>, options?: CacheOptions): Promise<T>;
  /** Makes every value of this tenant tagged with one of `tags` stale, on every process sharing the store. */
  invalidateTags(tags: readonly string[]): Promise<void>;
  /** Drops every key of this tenant, on every process sharing the store. */
  invalidateAll(): Promise<void>;
}

const inflight = new Map<string, Promise<unknown>>();

let warnedAt = 0;
/** A store that fails is said once a minute, not once a request. */
function warnStoreFailure(error: unknown): void {
  if (Date.now() - warnedAt < 60_000) return;
  warnedAt = Date.now();
  console.warn(`[tenant cache] the store failed (${error instanceof Error ? error.message : String(error)}): computing values without the cache.`);
}

export function tenantCache(scope: TenantScope, store: CacheStore = defaultCacheStore()): TenantCache {
  const tenantId = scopeTenantId(scope);
  const cache: TenantCache = {
    tenantId,
    async get<T>(parts: readonly (string | number)[]) {
      const { value } = await store.read(tenantId, encodeParts(parts), []);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    async set(parts, value, options = {}) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new CacheKeyError('Only JSON values can be cached (not undefined or functions).');
      await store.write(tenantId, encodeParts(parts), json, options.ttlMs ?? DEFAULT_TTL_MS, { generations: generationsOf(options.tags) });
    },
    async delete(parts) {
      await store.delete(tenantId, encodeParts(parts));
    },
    async wrap<T>(parts: readonly (string | number)[], compute: () => Promise<T>, options: CacheOptions = {}) {
      const rest = encodeParts(parts);
      const generations = generationsOf(options.tags);
      let read: CacheRead;
      try {
        read = await store.read(tenantId, rest, generations);
      } catch (error) {
        warnStoreFailure(error);
        return compute();
      }
      if (read.value !== undefined) return JSON.parse(read.value) as T;
      // Keyed by the stamp too: a caller who comes after an invalidation does not wait for a value
      // computed before it.
      const key = `${tenantId}\n${rest}\n${read.stamp}`;
      const running = inflight.get(key) as Promise<T> | undefined;
      if (running) return running;
      const work = (async () => {
        const value = await compute();
        const json = JSON.stringify(value);
        if (json === undefined) throw new CacheKeyError('Only JSON values can be cached (not undefined or functions).');
        // Stamped with the generations read before computing: an invalidation meanwhile wins.
        await store.write(tenantId, rest, json, options.ttlMs ?? DEFAULT_TTL_MS, { stamp: read.stamp }).catch(warnStoreFailure);
        return value;
      })().finally(() => inflight.delete(key));
      inflight.set(key, work);
      return work;
    },
    async invalidateTags(tags) {
      if (tags.length === 0) return;
      await store.bump(tenantId, generationsOf(tags).slice(1));
    },
    invalidateAll: () => store.bump(tenantId, [TENANT_GENERATION]),
  };
  return cache;
}

/** A Next.js cache tag for this tenant (`revalidateTag(tenantTag(ctx, 'invoices'))`). */
export function tenantTag(scope: TenantScope, name: string): string {
  return `tenant:${scopeTenantId(scope)}:${encodeParts([name])}`;
}

/** In-process store: an LRU of entries with their own TTL; generations in a map. */
export function memoryCacheStore(options: { max?: number } = {}): CacheStore {
  const entries = new LRUCache<string, { stamp: string; value: string }>({ max: options.max ?? 50_000, ttlAutopurge: false });
  const generations = new Map<string, number>();
  const gen = (tenantId: string, name: string) => String(generations.get(`${tenantId}\n${name}`) ?? 0);
  const key = (tenantId: string, rest: string) => `tenant:${tenantId}:v:${rest}`;
  const stampNow = (tenantId: string, names: readonly string[]) => stampOf(names, names.map((name) => gen(tenantId, name)));
  return {
    async read(tenantId, rest, names) {
      const stamp = stampNow(tenantId, names);
      const entry = entries.get(key(tenantId, rest));
      if (!entry) return { value: undefined, stamp };
      for (const [name, value] of stampEntries(entry.stamp)) {
        if (gen(tenantId, name) !== value) return { value: undefined, stamp };
      }
      return { value: entry.value, stamp };
    },
    async write(tenantId, rest, value, ttlMs, at) {
      const stamp = 'stamp' in at ? at.stamp : stampNow(tenantId, at.generations);
      entries.set(key(tenantId, rest), { stamp, value }, { ttl: ttlMs });
    },
    async delete(tenantId, rest) {
      entries.delete(key(tenantId, rest));
    },
    async bump(tenantId, names) {
      for (const name of names) generations.set(`${tenantId}\n${name}`, Number(gen(tenantId, name)) + 1);
    },
    async close() {
      entries.clear();
    },
  };
}

// One round trip each. READ answers the value if every generation in its stamp (the line before
// it) is current, and the current generations asked for; so a bump elsewhere is seen at once.
const READ = `local base = ARGV[1]
local out = {false}
for i = 3, #ARGV do out[#out + 1] = redis.call('GET', base .. ARGV[i]) or '0' end
local raw = redis.call('GET', KEYS[1])
if raw then
  local nl = string.find(raw, '\\n', 1, true)
  if nl then
    local fresh = true
    for name, g in string.gmatch(string.sub(raw, 1, nl - 1), '([^ =]+)=([^ ]+)') do
      if (redis.call('GET', base .. name) or '0') ~= g then fresh = false break end
    end
    if fresh then out[1] = string.sub(raw, nl + 1) end
  end
end
return out`;
// WRITE stores the stamp, a newline and the value; with no stamp given, it stamps the current generations named.
const WRITE = `local base = ARGV[1]
local stamp = ARGV[4]
if stamp == '' then
  local named = {}
  for i = 5, #ARGV do named[#named + 1] = ARGV[i] .. '=' .. (redis.call('GET', base .. ARGV[i]) or '0') end
  stamp = table.concat(named, ' ')
end
redis.call('SET', KEYS[1], stamp .. '\\n' .. ARGV[2], 'PX', ARGV[3])`;

/**
 * Redis store (ioredis): the same keys, shared by every process of the app (and by every app on
 * the same Redis and prefix). Under `<prefix>tenant:<id>:`, values at `v:<parts>`, generations at
 * `generation` and `tag:<name>`. Single-node Redis: the scripts build generation keys themselves.
 */
export function redisCacheStore(redis: Redis, options: { prefix?: string; closeClient?: boolean } = {}): CacheStore {
  const prefix = options.prefix ?? 'studio:';
  const base = (tenantId: string) => `${prefix}tenant:${tenantId}:`;
  const valueKey = (tenantId: string, rest: string) => `${base(tenantId)}v:${rest}`;
  return {
    async read(tenantId, rest, names) {
      const [value, ...generations] = (await redis.eval(READ, 1, valueKey(tenantId, rest), base(tenantId), rest, ...names)) as [string | null, ...string[]];
      return { value: value ?? undefined, stamp: stampOf(names, generations) };
    },
    async write(tenantId, rest, value, ttlMs, at) {
      const ttl = String(Math.max(1, Math.round(ttlMs)));
      const [stamp, names] = 'stamp' in at ? [at.stamp, []] : ['', at.generations];
      await redis.eval(WRITE, 1, valueKey(tenantId, rest), base(tenantId), value, ttl, stamp, ...names);
    },
    async delete(tenantId, rest) {
      await redis.del(valueKey(tenantId, rest));
    },
    async bump(tenantId, names) {
      if (names.length === 0) return;
      const multi = redis.multi();
      for (const name of names) multi.incr(`${base(tenantId)}${name}`);
      await multi.exec();
    },
    async close() {
      if (options.closeClient !== false) await redis.quit();
    },
  };
}

const globalForCache = globalThis as unknown as { studioCacheStores?: Map<string, CacheStore>; studioDefaultCacheStore?: CacheStore };

/**
 * The process's store for an app's REDIS_URL: Redis on the process's shared client when set
 * (sharedRedis), the process's in-process store when unset. One per process, across Next's
 * bundle layers, so a write's invalidation in a server action reaches the page that reads.
 */
export function cacheStoreFor(redisUrl: string | undefined, options: { prefix?: string } = {}): CacheStore {
  const stores = (globalForCache.studioCacheStores ??= new Map());
  const id = redisUrl ? `${redisUrl}\n${options.prefix ?? ''}` : '';
  let store = stores.get(id);
  if (!store) {
    store = redisUrl ? redisCacheStore(sharedRedis(redisUrl), { prefix: options.prefix, closeClient: false }) : memoryCacheStore();
    stores.set(id, store);
  }
  return store;
}

/** Sets the store `tenantCache(ctx)` uses when given none, for the whole process. */
export function setDefaultCacheStore(store: CacheStore): void {
  globalForCache.studioDefaultCacheStore = store;
}

/** The configured store, or the process's in-process one. */
export function defaultCacheStore(): CacheStore {
  return globalForCache.studioDefaultCacheStore ?? cacheStoreFor(undefined);
}
