/**
 * `tenants erase <slug> --confirm <slug>`: deletes every row of one tenant, in its placement and
 * in the shared database (registry row, memberships, invitations, its audit trail), and its
 * files; a platform event records the erase, committed with the registry delete. Re-running
 * after a crash finishes the job: each delete is idempotent and the registry row goes last.
 * On Citus the tenant and the erase switch are set with SET LOCAL, so the shards' policies and
 * audit trigger see them (lifecycle/citus.ts).
 */
import type { FileStore } from '@studio/tenancy/storage';
import { signalTenantChanged } from './citus';
import { asTenantOwner, deleteTenantRows, findTenant, operator, Pools, targetOf, tenantTables, TenantLifecycleError, type DatabaseTargets } from '@studio/tenancy/lifecycle';

export interface EraseOptions {
  targets: DatabaseTargets;
  slug: string;
  /** Must repeat the slug: an erase cannot be undone. */
  confirm: string | undefined;
  /** Where the tenant's files live; they are deleted too. */
  files?: FileStore;
  schema?: Record<string, unknown>;
  onProgress?: (message: string) => void;
}

export interface EraseResult {
  tenant: { id: string; slug: string; placement: string };
  /** Rows deleted per table, in the placement and in the shared database. */
  deleted: Record<string, number>;
  files: number;
}

export async function eraseTenant(options: EraseOptions): Promise<EraseResult> {
  if (options.confirm !== options.slug) {
    throw new TenantLifecycleError(
      'TENANT_ERASE_UNCONFIRMED',
      `Erasing deletes every row of "${options.slug}" for good: repeat the slug with --confirm ${options.slug}.`,
    );
  }
  const pools = new Pools();
  try {
    const shared = await pools.reachable(options.targets.shared.owner, 'shared');
    const tenant = await findTenant(shared, options.slug);
    const [move] = await shared<{ to: string }[]>`select to_placement as to from tenant_moves where tenant_id = ${tenant.id}`;
    if (move) {
      throw new TenantLifecycleError(
        'TENANT_MOVE_IN_PROGRESS',
        `${tenant.slug} is being moved to "${move.to}": finish it (\`pnpm studio tenants move ${tenant.slug} --to ${move.to}\`) before erasing.`,
      );
    }
    const tables = tenantTables(options.schema);
    const deleted: Record<string, number> = {};
    const add = (counts: Record<string, number>) => {
      for (const [name, n] of Object.entries(counts)) deleted[name] = (deleted[name] ?? 0) + n;
    };

    if (tenant.placement !== 'shared') {
      const placement = await pools.reachable(targetOf(options.targets, tenant.placement, tenant.slug).owner, tenant.placement);
      options.onProgress?.(`deleting ${tenant.slug}'s rows in "${tenant.placement}"`);
      add(
        await asTenantOwner(placement, tenant.id, async (tx) => {
          const counts = await deleteTenantRows(tx, tenant.id, tables);
          await tx`delete from tenants where id = ${tenant.id}`; // the placement's copy of the registry row
          return counts;
        }, { erasing: true }),
      );
    }

    let files = 0;
    if (options.files) {
      options.onProgress?.(`deleting ${tenant.slug}'s files`);
      for (const key of await options.files.list(`tenants/${tenant.id}/`)) {
        await options.files.delete(key);
        files++;
      }
    }

    options.onProgress?.(`deleting ${tenant.slug}'s rows in "shared" and its registry entry`);
    await asTenantOwner(shared, tenant.id, async (tx) => {
      add(await deleteTenantRows(tx, tenant.id, tables));
      for (const table of ['invitations', 'memberships'] as const) {
        const result = await tx.unsafe(`delete from ${table} where tenant_id = $1`, [tenant.id]);
        deleted[table] = result.count;
      }
      await tx`delete from tenants where id = ${tenant.id}`;
      await tx`insert into platform_events (action, tenant_id, tenant_slug, payload)
        values ('tenant.erased', ${tenant.id}, ${tenant.slug},
                ${tx.json({ operator: operator(), placement: tenant.placement, deleted, files })})`;
    }, { erasing: true });
    // After the commit: on Citus no trigger tells the tenant caches (docs/scaling.md).
    await signalTenantChanged(shared, tenant.id, options.onProgress);
    return { tenant: { id: tenant.id, slug: tenant.slug, placement: tenant.placement }, deleted, files };
  } finally {
    await pools.close();
  }
}
