/**
 * `pnpm studio db backfill <name>`: runs one of @studio/db-schema's backfills over every tenant,
 * in its placement, batch by batch. Finished tenants are recorded in backfill_runs, so a rerun
 * (after a crash, a Ctrl-C, a failed batch) skips them and picks up where it stopped.
 */
import { backfills, type Backfill } from '@studio/db-schema/backfills';
import { asTenantOwner, Pools, targetOf, TenantLifecycleError, type DatabaseTargets } from '@studio/tenancy/lifecycle';

export interface BackfillProgress {
  tenant: string;
  /** Tenants finished so far (skipped ones included) and in all. */
  done: number;
  total: number;
  rows: number;
}

export interface BackfillOptions {
  targets: DatabaseTargets;
  name: string;
  /** Backfills by name (default: @studio/db-schema's). */
  registry?: Record<string, Backfill>;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillResult {
  tenants: number;
  skipped: number;
  rows: number;
}

export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const registry = options.registry ?? backfills;
  const backfill = registry[options.name];
  if (!backfill) {
    throw new TenantLifecycleError('BACKFILL_UNKNOWN', `No backfill "${options.name}". Known: ${Object.keys(registry).join(', ') || 'none'}.`);
  }
  const limit = backfill.batchSize ?? 1000;
  const pools = new Pools();
  try {
    const shared = await pools.reachable(options.targets.shared.owner, 'shared');
    const tenants = await shared<{ id: string; slug: string; placement: string; done: boolean }[]>`
      select t.id, t.slug, t.placement, exists (select 1 from backfill_runs r where r.name = ${options.name} and r.tenant_id = t.id) as done
      from tenants t order by t.slug`;
    let rows = 0;
    let done = 0;
    const skipped = tenants.filter((t) => t.done).length;
    for (const tenant of tenants) {
      if (tenant.done) {
        done++;
        continue;
      }
      const sql = tenant.placement === 'shared' ? shared : await pools.reachable(targetOf(options.targets, tenant.placement, tenant.slug).owner, tenant.placement);
      let tenantRows = 0;
      for (;;) {
        const changed = await asTenantOwner(sql, tenant.id, (tx) => backfill.batch(tx, { tenantId: tenant.id, limit }));
        if (changed === 0) break;
        tenantRows += changed;
        rows += changed;
        options.onProgress?.({ tenant: tenant.slug, done, total: tenants.length, rows });
      }
      await shared`insert into backfill_runs (name, tenant_id, rows) values (${options.name}, ${tenant.id}, ${tenantRows}) on conflict do nothing`;
      done++;
      options.onProgress?.({ tenant: tenant.slug, done, total: tenants.length, rows });
    }
    return { tenants: tenants.length, skipped, rows };
  } finally {
    await pools.close();
  }
}
