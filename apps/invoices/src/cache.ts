import 'server-only';
import { cacheStoreFor, tenantCache, type TenantCache, type TenantScope } from '@studio/tenancy/cache';
import { env } from './env';

/**
 * What a cached value is computed from: the tables it reads. A write to a table invalidates its
 * tag (tablesChanged), for the writer's tenant only. The admin console invalidates 'invoices'
 * after a support write: keep the names the tables'.
 */
export type CacheTag = 'invoices' | 'customers';

/**
 * The tenant's cache (C8): in Redis when REDIS_URL is set, shared by every process of the app (a
 * value computed by one is served by all, a tag invalidated by one is stale for all); in this
 * process otherwise.
 */
export function cacheOf(scope: TenantScope): TenantCache {
  return tenantCache(scope, cacheStoreFor(env.redisUrl));
}

/**
 * After a committed write to these tables: the tenant's values computed from them are stale, on
 * every process. The write stands whatever happens here: a store that fails (Redis down) is
 * logged, and the values it holds expire by their TTL.
 */
export async function tablesChanged(scope: TenantScope, tags: readonly CacheTag[]): Promise<void> {
  try {
    await cacheOf(scope).invalidateTags(tags);
  } catch (error) {
    console.warn(`[cache] could not invalidate ${tags.join(', ')} (${error instanceof Error ? error.message : String(error)}): cached values stay until their TTL.`);
  }
}
