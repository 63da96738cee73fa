/**
 * The one Redis client of a process (per URL), behind the tenant cache and the quotas when an app
 * sets REDIS_URL. Created on first use and kept on globalThis, so Next's several bundle layers
 * (and dev's hot reloads) share it instead of opening one connection each.
 *
 * A Redis that is down never holds a request for long: only the commands sent before the first
 * connection succeeds or fails wait for it (at most `commandTimeout`); after that, a command sent
 * while the client is not connected fails at once. The callers choose what a failure means: the
 * quotas count in process for that request (rate-limiter-flexible's insuranceLimiter),
 * `tenantCache().wrap()` computes the value without the cache.
 */
import { Redis } from 'ioredis';

/** How long one command may wait for an answer (or for the first connection). */
const COMMAND_TIMEOUT_MS = 1000;

const globalForRedis = globalThis as unknown as { studioRedis?: Map<string, Redis> };

/** `redis://host:port/db`, without a password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** The process's client for `url`, connecting on first use. Close with closeSharedRedis(). */
export function sharedRedis(url: string): Redis {
  const clients = (globalForRedis.studioRedis ??= new Map());
  let client = clients.get(url);
  if (client) return client;
  const where = describeRedisUrl(url);
  client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, enableOfflineQueue: true });
  let down = false;
  const current = client;
  current.on('ready', () => {
    // From the first outcome of connecting on, a command sent while disconnected fails at once.
    current.options.enableOfflineQueue = false;
    if (down) console.warn(`[redis] ${where} answers again: quotas and the tenant cache are shared again.`);
    down = false;
  });
  // ioredis reports every failed reconnect; say it once per outage.
  current.on('error', (error: Error) => {
    current.options.enableOfflineQueue = false;
    if (down) return;
    down = true;
    console.warn(
      `[redis] ${where} unreachable (${error.message}): until it answers, quotas count in this process only and the tenant cache computes every value.`,
    );
  });
  clients.set(url, client);
  return client;
}

/** Closes the process's Redis clients (tests, scripts, a shutdown hook). */
export async function closeSharedRedis(): Promise<void> {
  const clients = globalForRedis.studioRedis;
  if (!clients) return;
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((client) => client.quit().catch(() => client.disconnect())));
}
