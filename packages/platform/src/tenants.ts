/**
 * The tenant registry as the admin console changes it: create a tenant, suspend or reactivate
 * one. Each change and its platform event commit together, as the admin role (which may insert
 * and update `tenants`; the app role may not). Resolvers in every process drop their cached copy
 * of a changed tenant at once: the tenants trigger NOTIFYs on plain Postgres, and after the
 * commit `signalTenantChanged` sends the same signal, the only one on Citus (which drops the trigger).
 */
import { invitations, memberships, plans, tenantMoves, tenants, users } from '@studio/db-schema/schema';
import { and, desc, eq, gt, sql as dsql } from 'drizzle-orm';
import type { AdminDatabase } from './admin-database';
import { recordPlatformEvent, type AdminTx } from './events';
import { TENANT_CHANGED_CHANNEL } from '@studio/tenancy/resolver';
import { parseTenantId } from '@studio/tenancy';
import { TenancyError } from '@studio/tenancy';
import { requirePlatformAdmin, type RequestSession } from '@studio/tenancy/request';
import { parseSlug } from '@studio/tenancy/resolver';
import { canonicalLocale } from '@studio/db-schema/locale';

export type TenantRegistryField = 'slug' | 'name' | 'reason' | 'email' | 'locale';

export class TenantRegistryError extends TenancyError {
  constructor(
    code: 'TENANT_INPUT_INVALID' | 'TENANT_SLUG_TAKEN' | 'TENANT_NOT_FOUND' | 'TENANT_BUSY' | 'TENANT_HAS_OWNER' | 'TENANT_NOT_ACTIVE',
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

/** A BCP 47 tag as the tenants table keeps it; null for anything else (one definition with the table's CHECK). */
export { canonicalLocale };

/**
 * Sets the locale a tenant's money, dates and numbers are written and read in ('de-DE'), or
 * clears it (null: each reader's own language). Recorded as a platform event; the products hear
 * of it as of a status change (NOTIFY, the caches' TTL otherwise).
 */
export async function setTenantLocale(admin: AdminDatabase, session: RequestSession, tenantId: string, input: string | null): Promise<{ slug: string; from: string | null; to: string | null }> {
  const me = requirePlatformAdmin(session);
  const id = parseTenantId(tenantId);
  const raw = typeof input === 'string' ? input.trim() : '';
  const locale = raw === '' ? null : canonicalLocale(raw);
  if (raw !== '' && !locale) {
    throw new TenantRegistryError('TENANT_INPUT_INVALID', `"${raw.slice(0, 40)}" is not a language this server can format in: use a tag such as de-DE or en-GB.`, 'locale');
  }
  const changed = await admin.db.transaction(async (tx) => {
    const [tenant] = await tx.select({ slug: tenants.slug, locale: tenants.locale }).from(tenants).where(eq(tenants.id, id)).for('update');
    if (!tenant) throw new TenantRegistryError('TENANT_NOT_FOUND', 'No such tenant: it may have been erased.');
    await tx.update(tenants).set({ locale }).where(eq(tenants.id, id));
    await recordPlatformEvent(tx, { actorId: me.userId, action: 'admin.tenant.locale', tenantId: id, tenantSlug: tenant.slug, payload: { from: tenant.locale, to: locale } });
    return { slug: tenant.slug, from: tenant.locale, to: locale };
  });
  await admin.db.execute(dsql`select pg_notify(${TENANT_CHANGED_CHANNEL}, ${id})`).catch(() => undefined);
  return changed;
}

/** An address as the invitation forms take it: one @, a dot in the domain, no spaces; at most 254 characters. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const EMAIL_MAX = 254;

/** Whether `email` is an address an invitation can go to (trimmed first); a message for its field otherwise. */
export function emailProblem(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed.length === 0) return 'Enter the email address of the person who will own the tenant.';
  if (trimmed.length > EMAIL_MAX || !EMAIL.test(trimmed)) return `${JSON.stringify(trimmed)} is not an email address (name@example.com).`;
  return null;
}

/**
 * What sends an owner invitation: `@studio/auth`'s `createOwnerInvitation` (the console's Auth). A
 * parameter, not an import: the invitation, its link, mail and the tenant's audit row are the
 * auth package's, written by the auth role (the admin role may not write invitations).
 */
export interface OwnerInviter {
  createOwnerInvitation(input: { tenantId: string; email: string; inviterId: string }): Promise<{ id: string; email: string; expiresAt: Date; link: string }>;
}

export interface OwnerInvitation {
  tenant: { id: string; slug: string; name: string };
  email: string;
  expiresAt: Date;
  /** The invite link to hand to the invitee (the id in it is the secret: show it once, never store it, C16). */
  link: string;
}

/**
 * Invites the first owner of a tenant that has none (a tenant the console created has no member):
 * the same invitation a product's owner sends, accepted in a product app by the invitee with the
 * address proved, who then is the tenant's owner. Recorded as the platform event
 * `admin.tenant.invite_owner` (the address and the expiry; never the link). Refused for a
 * non-admin, a tenant that has an owner (its owners invite from the members page), a tenant that
 * is not active (an invitee could not open it: reactivate it first) and a bad address (on the
 * `email` field). A new invitation replaces the tenant's pending first-owner invitation.
 */
export async function inviteFirstOwner(
  admin: AdminDatabase,
  session: RequestSession,
  inviter: OwnerInviter,
  input: { tenantId: string; email: string },
): Promise<OwnerInvitation> {
  const me = requirePlatformAdmin(session);
  const id = parseTenantId(input.tenantId);
  const raw = typeof input.email === 'string' ? input.email : '';
  const problem = emailProblem(raw);
  if (problem) throw new TenantRegistryError('TENANT_INPUT_INVALID', problem, 'email');
  const email = raw.trim().toLowerCase();
  return admin.db.transaction(async (tx) => {
    // One first-owner invitation at a time per tenant. NO KEY UPDATE: the invitation's foreign key
    // (inserted by the auth role meanwhile) takes KEY SHARE on this row, which UPDATE would block.
    const [tenant] = await tx
      .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status })
      .from(tenants)
      .where(eq(tenants.id, id))
      .for('no key update');
    if (!tenant) throw new TenantRegistryError('TENANT_NOT_FOUND', 'No such tenant: it may have been erased.');
    if (tenant.status !== 'active') {
      throw new TenantRegistryError(
        'TENANT_NOT_ACTIVE',
        `${tenant.name} is ${tenant.status === 'suspended' ? 'suspended' : 'read-only while it is moved'}: an invitee could not open it. Reactivate it first, then invite its owner.`,
      );
    }
    const [owner] = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, id), eq(memberships.role, 'owner')))
      .limit(1);
    if (owner) {
      throw new TenantRegistryError('TENANT_HAS_OWNER', `${tenant.name} already has an owner (${owner.email}): its owners invite people from the members page of a product app.`);
    }
    const sent = await inviter.createOwnerInvitation({ tenantId: id, email, inviterId: me.userId });
    await recordPlatformEvent(tx, {
      actorId: me.userId,
      action: 'admin.tenant.invite_owner',
      tenantId: id,
      tenantSlug: tenant.slug,
      payload: { email: sent.email, expiresAt: sent.expiresAt.toISOString() },
    });
    return { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, email: sent.email, expiresAt: sent.expiresAt, link: sent.link };
  });
}

export interface PendingOwnerInvitation {
  email: string;
  expiresAt: Date;
  createdAt: Date;
  /** Who sent it (a platform admin's address). */
  invitedBy: string | null;
}

/**
 * The tenant's pending owner invitation (the newest), without its id (C16). Reads the registry's
 * side of one tenant: call it inside an audited read.
 */
export async function pendingOwnerInvitation(tx: AdminTx, tenantId: string): Promise<PendingOwnerInvitation | null> {
  const id = parseTenantId(tenantId);
  const [row] = await tx
    .select({ email: invitations.email, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt, invitedBy: users.email })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.inviterId))
    .where(and(eq(invitations.tenantId, id), eq(invitations.role, 'owner'), eq(invitations.status, 'pending'), gt(invitations.expiresAt, new Date())))
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  return row ?? null;
}
