/**
 * `tenants move <slug> --to <placement>`: moves a tenant's rows to another database without
 * losing a write. The steps, each recorded in `tenant_moves` before the next begins, so a move
 * that crashed resumes where it stopped when run again:
 *
 *   marked    the tenant is read_only (writes get TenantReadOnlyError, a 503; reads go on)
 *   copied    export from the source, import into the target (a partial copy is purged first)
 *   verified  per table, row counts and an order-independent digest match on both sides
 *   flipped   the registry points at the target, the previous status is back; caches drop the
 *             tenant at once (NOTIFY on tenants, and signalTenantChanged where no trigger does)
 *   (done)    the source rows are purged, the move row deleted, a platform event written
 */
import type postgres from 'postgres';
import { asTenantOwner, tableHoldingTenant, deleteTenantRows, findTenant, operator, Pools, targetOf, tenantTables, TenantLifecycleError, type DatabaseTargets, type TenantTableInfo } from '@studio/tenancy/lifecycle';
import { signalTenantChanged } from './citus';
import { copyTenant } from './copy';

export const MOVE_STEPS = ['marked', 'copied', 'verified', 'flipped', 'purged'] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

export interface MoveOptions {
  targets: DatabaseTargets;
  slug: string;
  to: string;
  schema?: Record<string, unknown>;
  /**
   * How long to wait after marking the tenant read-only and after flipping it, so every process
   * has seen the change before rows are copied or purged. Processes that LISTEN see it at once;
   * the wait covers one whose LISTEN connection dropped, until its tenant cache entry expires
   * (default 30 s, the cache's default TTL; lower it only with a shorter `tenantCache.ttlMs`).
   */
  settleMs?: number;
  onProgress?: (message: string) => void;
  /** Tests: stop as if the process died right after this step. */
  crashAfter?: MoveStep;
}

export interface MoveResult {
  tenant: { id: string; slug: string };
  from: string;
  to: string;
  rows: number;
  /** How long the tenant's writes were refused. */
  readOnlySeconds: number;
  resumedFrom: string | null;
}

export class SimulatedCrash extends Error {}

interface MoveRow {
  from: string;
  to: string;
  step: string;
  previousStatus: 'active' | 'suspended' | 'read_only';
  previousReason: string | null;
  readOnlySince: Date | null;
}

/** Per table: rows and a digest that does not depend on row order (sum of 64-bit md5 prefixes). */
async function digest(sql: postgres.Sql, tenantId: string, tables: TenantTableInfo[]): Promise<Record<string, string>> {
  return asTenantOwner(sql, tenantId, async (tx) => {
    await tx`set local timezone to 'UTC'`;
    const out: Record<string, string> = {};
    for (const table of tables) {
      const columns = table.columns.map((c) => `"${c}"`).join(', ');
      const [row] = await tx.unsafe<{ n: string; sum: string | null }[]>(
        `select count(*)::text as n, sum(('x' || left(md5(row_to_json(x)::text), 16))::bit(64)::bigint::numeric)::text as sum
         from (select ${columns} from "${table.name}" where tenant_id = $1) x`,
        [tenantId],
      );
      out[table.name] = `${row!.n}:${row!.sum ?? '0'}`;
    }
    return out;
  });
}

export async function moveTenant(options: MoveOptions): Promise<MoveResult> {
  const say = options.onProgress ?? (() => {});
  const settle = () => new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 30_000));
  const crashPoint = (step: MoveStep) => {
    if (options.crashAfter === step) throw new SimulatedCrash(`simulated crash after "${step}"`);
  };
  const pools = new Pools();
  try {
    const shared = await pools.reachable(options.targets.shared.owner, 'shared');
    const tenant = await findTenant(shared, options.slug);
    // A move keeps the tenant whole: its API tokens must still work in the target (C16's one exception).
    const tables = tenantTables(options.schema, { secrets: 'include' });
    const [existing] = await shared<MoveRow[]>`
      select from_placement as from, to_placement as to, step, previous_status as "previousStatus",
             previous_reason as "previousReason", read_only_since as "readOnlySince"
      from tenant_moves where tenant_id = ${tenant.id}`;
    if (existing && existing.to !== options.to) {
      throw new TenantLifecycleError(
        'TENANT_MOVE_IN_PROGRESS',
        `${tenant.slug} is being moved to "${existing.to}" (step: ${existing.step}): finish that first with --to ${existing.to}.`,
      );
    }
    if (!existing && tenant.placement === options.to) {
      throw new TenantLifecycleError('TENANT_ALREADY_THERE', `${tenant.slug} already lives in "${options.to}": nothing to move.`);
    }
    const from = existing?.from ?? tenant.placement;
    const source = await pools.reachable(targetOf(options.targets, from, tenant.slug).owner, from);
    const targetUrls = targetOf(options.targets, options.to);
    const target = await pools.reachable(targetUrls.owner, options.to);

    if (!existing) {
      // A target that holds the tenant already (an old copy, a restore) is not ours to overwrite.
      const held = await tableHoldingTenant(target, tenant.id, tables);
      if (held) {
        throw new TenantLifecycleError('TENANT_EXISTS', `"${options.to}" already holds rows of ${tenant.slug} (${held}): nothing was changed. Erase them there first if they are stale.`);
      }
    }

    const resumedFrom = existing?.step ?? null;
    let move: MoveRow;
    if (existing) {
      move = existing;
      say(`resuming the move of ${tenant.slug} to "${options.to}" after step "${existing.step}"`);
    } else {
      // 1. marked: read-only from now on; the move row and the status change commit together.
      move = await shared.begin(async (tx) => {
        const [row] = await tx<MoveRow[]>`
          insert into tenant_moves (tenant_id, from_placement, to_placement, step, previous_status, previous_reason, read_only_since)
          values (${tenant.id}, ${from}, ${options.to}, 'marked', ${tenant.status}, ${tenant.statusReason}, now())
          returning from_placement as from, to_placement as to, step, previous_status as "previousStatus",
                    previous_reason as "previousReason", read_only_since as "readOnlySince"`;
        if (tenant.status === 'active') {
          await tx`update tenants set status = 'read_only', status_reason = ${`moving to another database (${options.to}); writes resume shortly`} where id = ${tenant.id}`;
        }
        return row!;
      }) as MoveRow;
      await signalTenantChanged(shared, tenant.id, say);
      say(`${tenant.slug} is read-only; waiting for every process to see it`);
      await settle();
    }
    const stepIndex = () => MOVE_STEPS.indexOf(move.step as MoveStep);
    const setStep = async (step: MoveStep) => {
      await shared`update tenant_moves set step = ${step}, updated_at = now() where tenant_id = ${tenant.id}`;
      move.step = step;
      crashPoint(step);
    };
    crashPoint('marked');

    // 2 + 3. copied, verified. A copy that does not verify (a write that slipped in before the
    // read-only flag reached every process) is purged and made again, once.
    let copiedRows = 0;
    for (let attempt = 1; stepIndex() < MOVE_STEPS.indexOf('verified'); attempt++) {
      if (stepIndex() < MOVE_STEPS.indexOf('copied')) {
        say(`copying ${tenant.slug} from "${from}" to "${options.to}"`);
        const counts = await copyTenant({ registry: shared, source, target, targetKey: options.to, tenantId: tenant.id, tables, onProgress: say });
        copiedRows = Object.values(counts).reduce((n, c) => n + c, 0);
        await setStep('copied');
      }
      say('verifying the copy');
      const [a, b] = await Promise.all([digest(source, tenant.id, tables), digest(target, tenant.id, tables)]);
      const differs = tables.find((t) => a[t.name] !== b[t.name]);
      if (!differs) {
        await setStep('verified');
        break;
      }
      if (attempt >= 2) {
        throw new TenantLifecycleError('TENANT_MOVE_VERIFY_FAILED', `${differs.name} differs between "${from}" and "${options.to}" after two copies; the tenant stays read-only in "${from}". Run the move again.`);
      }
      say(`${differs.name} changed during the copy; copying again`);
      await shared`update tenant_moves set step = 'marked', updated_at = now() where tenant_id = ${tenant.id}`;
      move.step = 'marked';
    }

    // 4. flipped: the registry points at the target; the status from before the move is back.
    if (stepIndex() < MOVE_STEPS.indexOf('flipped')) {
      await shared.begin(async (tx) => {
        await tx`update tenants set placement = ${options.to}, status = ${move.previousStatus}, status_reason = ${move.previousReason} where id = ${tenant.id}`;
        await tx`update tenant_moves set step = 'flipped', updated_at = now() where tenant_id = ${tenant.id}`;
      });
      move.step = 'flipped';
      await signalTenantChanged(shared, tenant.id, say);
      say(`${tenant.slug} now lives in "${options.to}" and takes writes again`);
      crashPoint('flipped');
    }
    const readOnlySeconds = move.readOnlySince ? (Date.now() - new Date(move.readOnlySince).getTime()) / 1000 : 0;

    // 5. purge the source, once every process routes to the target.
    await settle();
    say(`purging ${tenant.slug}'s rows from "${from}"`);
    await asTenantOwner(source, tenant.id, async (tx) => {
      await deleteTenantRows(tx, tenant.id, tables);
      // A dedicated database's copy of the registry row goes with the rows; the shared one stays.
      if (from !== 'shared') await tx`delete from tenants where id = ${tenant.id}`;
    }, { erasing: true });
    crashPoint('purged');
    await shared.begin(async (tx) => {
      await tx`delete from tenant_moves where tenant_id = ${tenant.id}`;
      await tx`insert into platform_events (action, tenant_id, tenant_slug, payload)
        values ('tenant.moved', ${tenant.id}, ${tenant.slug}, ${tx.json({ operator: operator(), from, to: options.to, rows: copiedRows, readOnlySeconds, resumedFrom })})`;
    });
    return { tenant: { id: tenant.id, slug: tenant.slug }, from, to: options.to, rows: copiedRows, readOnlySeconds, resumedFrom };
  } finally {
    await pools.close();
  }
}
