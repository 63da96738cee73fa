import { LRUCache } from 'lru-cache';
import type { Sql } from 'postgres';
import type { TenantInfo } from '../scoped/tenant-db';

/** Postgres channel the `tenants_notify_change` trigger signals on (migration 0003). */
export const TENANT_CHANGED_CHANNEL = 'studio_tenant_changed';

export interface TenantDirectoryOptions {
  /** How long an entry may be served without a change signal (default 30 s): the backstop. */
  ttlMs?: number;
  /** Entries kept (default 10,000 tenants). */
  max?: number;
  /**
   * LISTEN for tenant changes (default true), so a suspension or slug change is seen by every
   * process at once. Set false behind a transaction-mode PgBouncer, which cannot LISTEN; the
   * TTL then bounds staleness.
   */
  listen?: boolean;
  /** Called once if LISTEN cannot be set up (the cache still works, bounded by the TTL). */
  onListenError?: (error: unknown) => void;
}

type Entry = TenantInfo | null;

/**
 * Slug -> tenant and id -> tenant, cached in process (LRU with TTL). A miss is one indexed read
 * of `tenants`; unknown slugs are cached too (briefly) so a flood of bogus hosts stays cheap.
 */
export class TenantDirectory {
  readonly #sql: Sql;
  readonly #bySlug: LRUCache<string, { value: Entry }>;
  readonly #byId: LRUCache<string, { value: Entry }>;
  readonly #options: TenantDirectoryOptions;
  #listening: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(sql: Sql, options: TenantDirectoryOptions = {}) {
    this.#sql = sql;
    this.#options = options;
    const ttl = options.ttlMs ?? 30_000;
    const max = options.max ?? 10_000;
    this.#bySlug = new LRUCache({ max, ttl });
    this.#byId = new LRUCache({ max, ttl });
  }

  /** The tenant with this slug, or null. The slug must already be validated (parseSlug). */
  async bySlug(slug: string): Promise<TenantInfo | null> {
    const hit = this.#bySlug.get(slug);
    return hit ? hit.value : this.#load('slug', slug);
  }

  /** The tenant with this id, or null. The id must already be a validated UUID. */
  async byId(id: string): Promise<TenantInfo | null> {
    const hit = this.#byId.get(id);
    return hit ? hit.value : this.#load('id', id);
  }

  /** Drops what is cached about a tenant (its id and its slug). */
  forget(id: string): void {
    const cached = this.#byId.get(id)?.value;
    this.#byId.delete(id);
    if (cached) this.#bySlug.delete(cached.slug);
    // A slug cached as unknown may have just been given to this tenant: drop those too.
    for (const [slug, entry] of this.#bySlug.entries()) {
      if (entry.value === null || entry.value.id === id) this.#bySlug.delete(slug);
    }
  }

  /** Drops everything (tests, or after a bulk change). */
  clear(): void {
    this.#bySlug.clear();
    this.#byId.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#listening?.catch(() => {});
    await this.#unlisten?.().catch(() => {});
  }

  async #load(by: 'slug' | 'id', value: string): Promise<TenantInfo | null> {
    this.#listen();
    const [row] = await this.#sql<TenantInfo[]>`
      select id, slug, name, status, status_reason as "statusReason", placement, branding, locale from tenants where ${this.#sql(by)} = ${value}`;
    return this.#store(row ?? null, by === 'slug' ? value : undefined, by === 'id' ? value : undefined);
  }

  #store(row: TenantInfo | null, slug?: string, id?: string): TenantInfo | null {
    if (row) {
      this.#bySlug.set(row.slug, { value: row });
      this.#byId.set(row.id, { value: row });
    } else {
      // Unknown names are remembered for a short time only: a tenant created a moment later
      // must resolve soon even where LISTEN is off.
      const ttl = Math.min(this.#options.ttlMs ?? 30_000, 2_000);
      if (slug) this.#bySlug.set(slug, { value: null }, { ttl });
      if (id) this.#byId.set(id, { value: null }, { ttl });
    }
    return row;
  }

  #listen(): void {
    if (this.#listening || this.#closed || this.#options.listen === false) return;
    this.#listening = this.#sql
      .listen(
        TENANT_CHANGED_CHANNEL,
        (payload) => this.forget(payload),
        // Reconnected after a lost connection: changes may have been missed.
        () => this.clear(),
      )
      .then(({ unlisten }) => {
        this.#unlisten = unlisten;
        if (this.#closed) return unlisten();
      })
      .catch((error: unknown) => {
        this.#options.onListenError?.(error);
      });
  }
}
