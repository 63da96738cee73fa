/**
 * Seals the audit trail shortly after it is written (C10). An audited write commits its event
 * unsealed; this chains the tenant's unsealed events (`studio_audit_seal()`, migration 0014) in a
 * transaction of its own on the background pool, `delayMs` after the first write it hears of, so
 * the write pays for one insert and the chain costs no request any time. Many writes in that
 * window make one seal. `close()` seals what is pending before the pools end, so a process that
 * exits cleanly leaves nothing unsealed; after a crash, the tenant's next seal (any audited write
 * in any process, or verifyAuditChain) takes the leftovers too.
 */
import { runScoped } from './executor';
import type { ScopedPool } from './wire';

/** At most this many events per seal transaction; a longer backlog takes several in a row. */
const SEAL_BATCH = 5000;
const SEAL = 'select studio_audit_seal($1::int) as sealed';
/** A seal that failed (the database restarting, say) is tried again, this many times. */
const ATTEMPTS = 5;

/** Runs studio_audit_seal() through `run`, batch after batch, and returns how many events it sealed. */
export async function sealWith(run: (sql: string, params: readonly unknown[]) => Promise<unknown>): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = (await run(SEAL, [SEAL_BATCH])) as { sealed: number }[];
    const sealed = Number(rows[0]?.sealed ?? 0);
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

/** Seals the unsealed events of one tenant, in transactions of their own on `pool`, under its signed context. */
export function sealTenant(pool: ScopedPool, context: string): Promise<number> {
  return sealWith((sql, params) => runScoped(pool, context, false, sql, params, 'execute'));
}

export class AuditSealer {
  private readonly pending = new Map<string, { pool: ScopedPool; attempts: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly delayMs: number,
    /** The signed tenant context of a tenant id (the database's TenantContextSigner). */
    private readonly sign: (tenantId: string) => string,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** The tenant has new events: seal them in about `delayMs`. */
  schedule(tenantId: string, pool: ScopedPool): void {
    if (this.closed) return;
    if (!this.pending.has(tenantId)) this.pending.set(tenantId, { pool, attempts: 0 });
    this.arm();
  }

  /** Seals everything pending now (tests, tools, shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.running.then(() => this.sealPending());
    return this.running;
  }

  /** Seals what is pending; later schedules are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private arm(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    // A pending seal never keeps a process alive: close() seals it on the way out.
    this.timer.unref();
  }

  private async sealPending(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    await Promise.all(
      batch.map(async ([tenantId, entry]) => {
        try {
          await sealTenant(entry.pool, this.sign(tenantId));
        } catch (error) {
          const attempts = entry.attempts + 1;
          if (attempts < ATTEMPTS && !this.closed && !this.pending.has(tenantId)) {
            this.pending.set(tenantId, { pool: entry.pool, attempts });
            this.arm();
            return;
          }
          this.warn(
            `[tenancy] could not seal the audit trail of tenant ${tenantId} (${error instanceof Error ? error.message : String(error)}); ` +
              'its events are stored, and the next audited write or verifyAuditChain seals them.',
          );
        }
      }),
    );
  }
}
