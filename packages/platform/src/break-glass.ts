/**
 * Break-glass: a platform admin's support access to one tenant's data (C11). The admin names a
 * reason and a duration; access is read-only unless writes are asked for explicitly; it ends at
 * its expiry (or earlier, when the admin ends it) and is never extended. The tenant's own audit
 * trail records who asked, why, until when, and every look, so the tenant's members can see it;
 * the platform trail records the same.
 *
 * Order of writes: the tenant's audit row first, then the grant. If the grant then fails, the
 * trail shows a grant that never took effect: it may over-report, never under-report.
 */
import { randomUUID } from 'node:crypto';
import { breakGlassGrants, tenants, users } from '@studio/db-schema/schema';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AdminDatabase } from './admin-database';
import { recordPlatformEvent } from './events';
import { audit, SUPPORT_ACCESS_LONGEST_MINUTES } from '@studio/tenancy/audit';
import { parseTenantId, type Database } from '@studio/tenancy';
import { TenancyError } from '@studio/tenancy';
import { requirePlatformAdmin, type RequestSession } from '@studio/tenancy/request';
import type { TenantDb } from '@studio/tenancy';

/**
 * The durations an admin may choose, in minutes. None longer than SUPPORT_ACCESS_LONGEST_MINUTES:
 * that is how far back a product looks in the tenant's trail for the grants open now (its banner).
 */
export const BREAK_GLASS_MINUTES = [15, 30, 60, 120, 240] as const satisfies readonly number[];
if (Math.max(...BREAK_GLASS_MINUTES) > SUPPORT_ACCESS_LONGEST_MINUTES) throw new Error('A break-glass duration is longer than the products look back for open grants.');
export const DEFAULT_BREAK_GLASS_MINUTES = 30;
export const BREAK_GLASS_REASON_MIN = 10;
export const BREAK_GLASS_REASON_MAX = 500;

export type BreakGlassField = 'reason' | 'minutes' | 'tenant';

/**
 * Characters that show nothing: controls, format characters (zero-width spaces and joiners, bidi
 * overrides, soft hyphens), private-use and unassigned code points, and the Hangul fillers and
 * braille blank, which Unicode counts as letters or symbols but fonts draw as empty space.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** The text as a reader sees it: invisible characters removed, runs of white space made one space. */
export function visibleText(text: string): string {
  return text.replace(/\s+/gu, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
}

/**
 * Why a break-glass reason cannot be accepted, or null. The tenant's members read it in their
 * audit trail, so it must say something: at least BREAK_GLASS_REASON_MIN visible characters, five
 * of them letters or digits (ten zero-width spaces, or ten dots, say nothing).
 */
export function breakGlassReasonProblem(reason: unknown): string | null {
  const visible = typeof reason === 'string' ? visibleText(reason) : '';
  const letters = visible.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (visible.length < BREAK_GLASS_REASON_MIN || letters < 5) {
    return `Give a reason in words, at least ${BREAK_GLASS_REASON_MIN} characters (a ticket, what you look for): the tenant's members will read it in their audit trail.`;
  }
  if (visible.length > BREAK_GLASS_REASON_MAX) return `Keep the reason under ${BREAK_GLASS_REASON_MAX} characters.`;
  return null;
}

export class BreakGlassError extends TenancyError {
  constructor(
    code: 'BREAK_GLASS_INPUT' | 'BREAK_GLASS_REQUIRED',
    message: string,
    /** The form field the message is about, for input errors. */
    readonly field?: BreakGlassField,
  ) {
    super(code, message);
  }
}

export interface BreakGlassGrant {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  adminId: string;
  adminEmail: string;
  reason: string;
  allowWrites: boolean;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface BreakGlassRequest {
  tenantId: string;
  reason: string;
  /** One of BREAK_GLASS_MINUTES. */
  minutes: number;
  /** Off unless the admin ticks it: the scoped client then refuses every write. */
  allowWrites: boolean;
}

export interface BreakGlassAccess {
  grant: BreakGlassGrant;
  /** The tenant's scoped client, acting as the admin; read-only unless the grant allows writes. */
  tdb: TenantDb;
}

const grantColumns = {
  id: breakGlassGrants.id,
  tenantId: breakGlassGrants.tenantId,
  tenantSlug: tenants.slug,
  tenantName: tenants.name,
  adminId: breakGlassGrants.adminId,
  adminEmail: users.email,
  reason: breakGlassGrants.reason,
  allowWrites: breakGlassGrants.allowWrites,
  createdAt: breakGlassGrants.createdAt,
  expiresAt: breakGlassGrants.expiresAt,
  revokedAt: breakGlassGrants.revokedAt,
};

/** Not ended and not expired, by the database's clock. */
const isActive = and(isNull(breakGlassGrants.revokedAt), gt(breakGlassGrants.expiresAt, sql`now()`));

export function createBreakGlass(deps: { admin: AdminDatabase; db: Database }) {
  const { admin, db } = deps;

  function grants() {
    return admin.db
      .select(grantColumns)
      .from(breakGlassGrants)
      .innerJoin(tenants, eq(tenants.id, breakGlassGrants.tenantId))
      .innerJoin(users, eq(users.id, breakGlassGrants.adminId));
  }

  /** The admin's active grant for the tenant, or null. */
  async function active(session: RequestSession, tenantId: string): Promise<BreakGlassGrant | null> {
    const me = requirePlatformAdmin(session);
    const [grant] = await grants()
      .where(and(eq(breakGlassGrants.adminId, me.userId), eq(breakGlassGrants.tenantId, parseTenantId(tenantId)), isActive))
      .orderBy(desc(breakGlassGrants.createdAt))
      .limit(1);
    return grant ?? null;
  }

  return {
    active,

    /** Every active grant (all admins), newest first; of one tenant when given. */
    async activeGrants(session: RequestSession, tenantId?: string): Promise<BreakGlassGrant[]> {
      requirePlatformAdmin(session);
      const where = tenantId ? and(isActive, eq(breakGlassGrants.tenantId, parseTenantId(tenantId))) : isActive;
      return grants().where(where).orderBy(desc(breakGlassGrants.createdAt));
    },

    /**
     * Grants the admin access to the tenant, replacing an earlier grant of theirs. Writes the
     * tenant's audit row (`support_access.grant`, naming the admin, the reason, the expiry and
     * whether writes are allowed), then the grant and a platform event.
     */
    async grant(session: RequestSession, request: BreakGlassRequest): Promise<BreakGlassGrant> {
      const me = requirePlatformAdmin(session);
      const problem = breakGlassReasonProblem(request.reason);
      if (problem) throw new BreakGlassError('BREAK_GLASS_INPUT', problem, 'reason');
      // What the members read is what was checked: no invisible characters in their trail.
      const reason = visibleText(request.reason);
      if (!(BREAK_GLASS_MINUTES as readonly number[]).includes(request.minutes)) {
        throw new BreakGlassError('BREAK_GLASS_INPUT', `Choose a duration of ${BREAK_GLASS_MINUTES.join(', ')} minutes.`, 'minutes');
      }
      const id = parseTenantId(request.tenantId);
      const [tenant] = await admin.db.select({ id: tenants.id, slug: tenants.slug, status: tenants.status }).from(tenants).where(eq(tenants.id, id));
      if (!tenant) throw new BreakGlassError('BREAK_GLASS_INPUT', 'No such tenant.', 'tenant');
      if (tenant.status === 'suspended') {
        throw new BreakGlassError('BREAK_GLASS_INPUT', `${tenant.slug} is suspended: its data cannot be opened. Reactivate it first, or read its members and audit trail, which need no support access.`, 'tenant');
      }
      if (tenant.status === 'read_only') {
        // Its audit trail cannot take the row that would tell its members.
        throw new BreakGlassError('BREAK_GLASS_INPUT', `${tenant.slug} is read-only (being moved, or set so): support access opens once it is active again.`, 'tenant');
      }
      const grantId = randomUUID();
      const expiresAt = new Date(Date.now() + request.minutes * 60_000);
      const allowWrites = request.allowWrites === true;
      // The admin's grant this one replaces, named in the tenant's row too: its products stop showing it.
      const replacing = await admin.db
        .select({ id: breakGlassGrants.id })
        .from(breakGlassGrants)
        .where(and(eq(breakGlassGrants.adminId, me.userId), eq(breakGlassGrants.tenantId, id), isActive));
      // What the tenant's members read (their products' banner and audit trail): who, why, until when, read or write.
      const details = { grantId, adminEmail: me.email, adminName: me.name, reason, expiresAt: expiresAt.toISOString(), minutes: request.minutes, allowWrites };

      // The tenant's own trail first: no access exists that its members cannot see.
      await audit(await db.tenant(id, { actor: { userId: me.userId } }), {
        action: 'support_access.grant',
        target: grantId,
        payload: replacing.length > 0 ? { ...details, replaces: replacing.map((r) => r.id) } : details,
      });
      await admin.db.transaction(async (tx) => {
        const replaced = await tx
          .update(breakGlassGrants)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(breakGlassGrants.adminId, me.userId), eq(breakGlassGrants.tenantId, id), isActive))
          .returning({ id: breakGlassGrants.id });
        await tx.insert(breakGlassGrants).values({ id: grantId, tenantId: id, adminId: me.userId, reason, allowWrites, expiresAt });
        await recordPlatformEvent(tx, {
          actorId: me.userId,
          action: 'admin.break_glass.grant',
          tenantId: id,
          tenantSlug: tenant.slug,
          payload: { ...details, replaces: replaced.map((r) => r.id) },
        });
      });
      const [created] = await grants().where(eq(breakGlassGrants.id, grantId));
      return created!;
    },

    /**
     * The tenant's scoped client under the admin's active grant: read-only unless the grant
     * allows writes. Each call is a look, recorded in the tenant's trail (`support_access.view`,
     * with what was viewed) and as a platform event. BreakGlassError when no grant is active.
     */
    async open(session: RequestSession, tenantId: string, look: { viewing: string }): Promise<BreakGlassAccess> {
      const me = requirePlatformAdmin(session);
      const grant = await active(me, tenantId);
      if (!grant) {
        throw new BreakGlassError(
          'BREAK_GLASS_REQUIRED',
          "No active support access to this tenant (it may have expired or been ended). Ask for access again, with a reason: it is recorded in the tenant's audit trail.",
        );
      }
      const writer = await db.tenant(grant.tenantId, { actor: { userId: me.userId } });
      const details = { grantId: grant.id, adminEmail: me.email, adminName: me.name, reason: grant.reason, viewing: look.viewing, expiresAt: grant.expiresAt.toISOString(), allowWrites: grant.allowWrites };
      await audit(writer, { action: 'support_access.view', target: grant.id, payload: details });
      await recordPlatformEvent(admin.db, { actorId: me.userId, action: 'admin.break_glass.view', tenantId: grant.tenantId, tenantSlug: grant.tenantSlug, payload: details });
      const tdb = grant.allowWrites ? writer : await db.tenant(grant.tenantId, { actor: { userId: me.userId }, readOnly: true });
      return { grant, tdb };
    },

    /** Ends the admin's access to the tenant now. Returns the grant ended, or null if none was active. */
    async end(session: RequestSession, tenantId: string): Promise<BreakGlassGrant | null> {
      const me = requirePlatformAdmin(session);
      const grant = await active(me, tenantId);
      if (!grant) return null;
      const ended = await admin.db
        .update(breakGlassGrants)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(breakGlassGrants.id, grant.id), isNull(breakGlassGrants.revokedAt)))
        .returning({ revokedAt: breakGlassGrants.revokedAt });
      if (ended.length === 0) return null;
      const details = { grantId: grant.id, adminEmail: me.email, adminName: me.name, reason: grant.reason, expiresAt: grant.expiresAt.toISOString(), allowWrites: grant.allowWrites };
      await recordPlatformEvent(admin.db, { actorId: me.userId, action: 'admin.break_glass.end', tenantId: grant.tenantId, tenantSlug: grant.tenantSlug, payload: details });
      // A tenant suspended meanwhile has no writable trail; the platform event above remains.
      await db
        .tenant(grant.tenantId, { actor: { userId: me.userId } })
        .then((tdb) => audit(tdb, { action: 'support_access.end', target: grant.id, payload: details }))
        .catch((error: unknown) => {
          if (!TenancyError.is(error) || error.code !== 'TENANT_SUSPENDED') throw error;
        });
      return { ...grant, revokedAt: ended[0]!.revokedAt };
    },
  };
}

export type BreakGlass = ReturnType<typeof createBreakGlass>;
