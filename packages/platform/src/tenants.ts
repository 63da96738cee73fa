/**
 * The tenant registry as the admin console changes it: create a tenant, suspend or reactivate
 * one. Each change and its platform event commit together, as the admin role (which may insert
 * and update `tenants`; the app role may not). Resolvers in every process drop their cached copy
 * of a changed tenant at once: the tenants trigger NOTIFYs on plain Postgres, and after the
 * commit `signalTenantChanged` sends the same signal, the only one on Citus (which drops the trigger).
 */
import { plans, tenantMoves, tenants } from '@studio/db-schema/schema';
import { eq, sql as dsql } from 'drizzle-orm';
import type { AdminDatabase } from './admin-database';
import { recordPlatformEvent } from './events';
import { TENANT_CHANGED_CHANNEL } from '@studio/tenancy/resolver';
import { parseTenantId } from '@studio/tenancy';
import { TenancyError } from '@studio/tenancy';
import { requirePlatformAdmin, type RequestSession } from '@studio/tenancy/request';
import { parseSlug } from '@studio/tenancy/resolver';

export type TenantRegistryField = 'slug' | 'name' | 'reason';

export class TenantRegistryError extends TenancyError {
  constructor(
    code: 'TENANT_INPUT_INVALID' | 'TENANT_SLUG_TAKEN' | 'TENANT_NOT_FOUND' | 'TENANT_BUSY',
    message: string,
    /** The form field the message is about. */
    readonly field?: TenantRegistryField,
  ) {
    super(code, message);
  }
}

export const TENANT_NAME_MAX = 100;
export const STATUS_REASON_MAX = 200;

export interface CreatedTenant {
  id: string;
  slug: string;
  name: string;
}

/** A new, active tenant on the free plan in the shared database. */
export async function createTenant(admin: AdminDatabase, session: RequestSession, input: { slug: string; name: string }): Promise<CreatedTenant> {
  const me = requirePlatformAdmin(session);
  const slug = parseSlug(typeof input.slug === 'string' ? input.slug.trim() : '');
  if (!slug.ok) throw new TenantRegistryError('TENANT_INPUT_INVALID', slug.message, 'slug');
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > TENANT_NAME_MAX) {
    throw new TenantRegistryError('TENANT_INPUT_INVALID', `Give the tenant a name of 1 to ${TENANT_NAME_MAX} characters.`, 'name');
  }
  return admin.db.transaction(async (tx) => {
    const [plan] = await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, 'free'));
    if (!plan) throw new TenantRegistryError('TENANT_INPUT_INVALID', 'New tenants start on the plan "free", which this database does not have: add it to `plans` first (`pnpm db:seed` adds the demo plans).');
    const [created] = await tx
      .insert(tenants)
      .values({ slug: slug.slug, name })
      .onConflictDoNothing({ target: tenants.slug })
      .returning({ id: tenants.id, slug: tenants.slug, name: tenants.name });
    if (!created) throw new TenantRegistryError('TENANT_SLUG_TAKEN', `The slug "${slug.slug}" is taken by another tenant: choose another.`, 'slug');
    await recordPlatformEvent(tx, { actorId: me.userId, action: 'admin.tenant.create', tenantId: created.id, tenantSlug: created.slug, payload: { name } });
    return created;
  });
}

/**
 * Suspends a tenant (its users are refused, with `reason`; jobs stop) or makes it active again.
 * Refused while the tenant is being moved: the move owns its status until it ends.
 */
export async function setTenantStatus(
  admin: AdminDatabase,
  session: RequestSession,
  tenantId: string,
  change: { status: 'active' | 'suspended'; reason?: string },
): Promise<{ slug: string; from: string; to: string }> {
  const me = requirePlatformAdmin(session);
  const id = parseTenantId(tenantId);
  const reason = typeof change.reason === 'string' ? change.reason.trim() : '';
  if (change.status === 'suspended' && (reason.length < 3 || reason.length > STATUS_REASON_MAX)) {
    throw new TenantRegistryError('TENANT_INPUT_INVALID', `Say why (3 to ${STATUS_REASON_MAX} characters): the tenant's users see it when they are refused.`, 'reason');
  }
  const changed = await admin.db.transaction(async (tx) => {
    const [tenant] = await tx.select({ slug: tenants.slug, status: tenants.status }).from(tenants).where(eq(tenants.id, id)).for('update');
    if (!tenant) throw new TenantRegistryError('TENANT_NOT_FOUND', 'No such tenant: it may have been erased.');
    const [move] = await tx.select({ to: tenantMoves.toPlacement }).from(tenantMoves).where(eq(tenantMoves.tenantId, id));
    if (move) {
      throw new TenantRegistryError('TENANT_BUSY', `${tenant.slug} is being moved to "${move.to}": its status changes when the move ends (pnpm studio tenants move ${tenant.slug} --to ${move.to}).`);
    }
    await tx
      .update(tenants)
      .set({ status: change.status, statusReason: change.status === 'suspended' ? reason : null })
      .where(eq(tenants.id, id));
    await recordPlatformEvent(tx, {
      actorId: me.userId,
      action: change.status === 'suspended' ? 'admin.tenant.suspend' : 'admin.tenant.reactivate',
      tenantId: id,
      tenantSlug: tenant.slug,
      payload: { from: tenant.status, to: change.status, ...(change.status === 'suspended' ? { reason } : {}) },
    });
    return { slug: tenant.slug, from: tenant.status, to: change.status };
  });
  // After the commit, so a process that reloads the tenant sees the new status. Best effort: the
  // change stands, and the caches' TTL (30 s) still bounds a missed signal.
  await admin.db.execute(dsql`select pg_notify(${TENANT_CHANGED_CHANNEL}, ${id})`).catch(() => undefined);
  return changed;
}
