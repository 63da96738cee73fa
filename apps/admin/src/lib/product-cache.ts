import 'server-only';
import { cacheStoreFor, tenantCache } from '@studio/tenancy/cache';
import { env } from '~/env';

/**
 * After a support write to a tenant's table (break-glass): the products' cached values computed
 * from it are stale (the invoices dashboard's totals are tagged 'invoices'). Reaches the products'
 * processes when they share this REDIS_URL; without Redis each product's cache is its own, and its
 * values show the write once their TTL (a minute) has passed. The write stands whatever happens here.
 */
export async function productTablesChanged(tenantId: string, tables: readonly string[]): Promise<void> {
  try {
    await tenantCache({ tenantId }, cacheStoreFor(env.redisUrl)).invalidateTags(tables);
  } catch (error) {
    console.warn(`[cache] could not invalidate ${tables.join(', ')} (${error instanceof Error ? error.message : String(error)}): cached values stay until their TTL.`);
  }
}
