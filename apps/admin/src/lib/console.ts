/**
 * The console's reads. Each goes through auditedRead: the admin role reads, and the read and its
 * platform event (who, what, which tenant) commit together (C11). No 'server-only' here, so the
 * tests can call these against a real database.
 */
import { formatDate, formatMoney } from '@studio/ui/format';
import * as schema from '@studio/db-schema/schema';
import { memberships, tenants, users } from '@studio/db-schema/schema';
import { isTenantTable, tablesOf } from '@studio/db-schema/table-kinds';
import { parseSlug } from '@studio/tenancy/resolver';
import { eventCursorParam } from '@studio/tenancy/audit';
import { type RequestSession } from '@studio/tenancy/request';
import {
  auditedRead,
  crossTenantTrail,
  listTenantExports,
  pendingOwnerInvitation,
  type AdminDatabase,
  type AdminTx,
  type ExportRun,
  type PendingOwnerInvitation,
  type TrailPage,
} from '@studio/platform';
import { asc, eq, getTableName, sql } from 'drizzle-orm';

/** Every tenant table, by name: what a tenant's size is counted over. */
export const TENANT_TABLES = tablesOf(schema as Record<string, unknown>)
  .filter(isTenantTable)
  .map((t) => getTableName(t))
  .sort();

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'read_only';
  statusReason: string | null;
  /** The tenant's locale (money, dates, numbers in its products); null: each reader's own. */
  locale: string | null;
  plan: string;
  placement: string;
  createdAt: Date;
  members: number;
  /** Members with the owner role: 0 for a tenant the console created until its first owner accepts. */
  owners: number;
  /** Rows per tenant table, exact (counted; see rowCounts). */
  rows: Record<string, number>;
  totalRows: number;
}

/**
 * Exact row counts per tenant and table, from the shared database (a tenant placed elsewhere keeps
 * its rows there). Each count walks the (tenant_id, ...) index the contract gives every tenant
 * table: cheap for the console's scale, and honest, unlike planner estimates.
 */
async function rowCounts(tx: AdminTx, tenantId?: string): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  const filter = tenantId ? sql`where tenant_id = ${tenantId}::uuid` : sql``;
  const selects = TENANT_TABLES.map((name) => sql`(select tenant_id, ${name}::text as "table", count(*)::int as n from ${sql.identifier(name)} ${filter} group by tenant_id)`);
  const rows = await tx.execute<{ tenant_id: string; table: string; n: number }>(sql.join(selects, sql` union all `));
  for (const row of rows) {
    const entry = counts.get(row.tenant_id) ?? {};
    entry[row.table] = row.n;
    counts.set(row.tenant_id, entry);
  }
  return counts;
}

async function tenantRows(tx: AdminTx, slug?: string): Promise<TenantRow[]> {
  // Spelled out: in a one-table select drizzle writes ${tenants.id} as a bare "id", which m.id would capture.
  const memberCount = sql<number>`(select count(*)::int from memberships m where m.tenant_id = "tenants"."id")`;
  const ownerCount = sql<number>`(select count(*)::int from memberships m where m.tenant_id = "tenants"."id" and m.role = 'owner')`;
  const registry = await tx
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      statusReason: tenants.statusReason,
      locale: tenants.locale,
      plan: tenants.plan,
      placement: tenants.placement,
      createdAt: tenants.createdAt,
      members: memberCount,
      owners: ownerCount,
    })
    .from(tenants)
    .where(slug ? eq(tenants.slug, slug) : undefined)
    .orderBy(asc(tenants.slug));
  if (registry.length === 0) return [];
  const counts = await rowCounts(tx, slug ? registry[0]!.id : undefined);
  return registry.map((t) => {
    const rows = Object.fromEntries(TENANT_TABLES.map((name) => [name, counts.get(t.id)?.[name] ?? 0]));
    return { ...t, rows, totalRows: Object.values(rows).reduce((a, b) => a + b, 0) };
  });
}

/** Every tenant with its members and rows. */
export function listTenants(admin: AdminDatabase, session: RequestSession): Promise<TenantRow[]> {
  return auditedRead(admin, (tx) => tenantRows(tx), { actorId: session.userId, action: 'admin.read.tenants', payload: (rows) => ({ tenants: rows.length }) });
}

/** A valid slug from a URL segment, or null (a page answers 404). */
export function slugParam(value: string): string | null {
  const parsed = parseSlug(value);
  return parsed.ok ? parsed.slug : null;
}

export interface TenantDetail extends TenantRow {
  /** The pending first-owner invitation (no id: the link's secret, C16), while the tenant has no owner. */
  pendingOwner: PendingOwnerInvitation | null;
}

/** One tenant with its sizes per table and its pending owner invitation; null when there is none. */
export async function getTenant(admin: AdminDatabase, session: RequestSession, slug: string): Promise<TenantDetail | null> {
  const [tenant] = await auditedRead(
    admin,
    async (tx) => {
      const rows = await tenantRows(tx, slug);
      const row = rows[0];
      if (!row) return [];
      return [{ ...row, pendingOwner: row.owners === 0 ? await pendingOwnerInvitation(tx, row.id) : null }];
    },
    {
      actorId: session.userId,
      action: 'admin.read.tenant',
      tenantSlug: slug,
      tenantId: (rows) => rows[0]?.id ?? null,
      payload: (rows) => ({ found: rows.length > 0, rows: rows[0]?.totalRows ?? 0 }),
    },
  );
  return tenant ?? null;
}

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: 'owner' | 'admin' | 'member';
  joinedAt: Date;
}

/** The members of one tenant. */
export function listMembers(admin: AdminDatabase, session: RequestSession, tenant: { id: string; slug: string }): Promise<MemberRow[]> {
  return auditedRead(
    admin,
    (tx) =>
      tx
        .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.tenantId, tenant.id))
        .orderBy(asc(memberships.createdAt)),
    { actorId: session.userId, action: 'admin.read.members', tenantId: tenant.id, tenantSlug: tenant.slug, payload: (rows) => ({ members: rows.length }) },
  );
}

export interface TrailRequest {
  /** One tenant's trail (its audit_events and the platform's events about it). */
  tenant?: { id: string; slug: string };
  source?: 'all' | 'platform' | 'tenant';
  /** The URL's `?cursor=`: one that is not a cursor of the trail (edited by hand, cut short, repeated) reads the newest page. */
  cursor?: string | string[] | null;
  limit?: number;
}

/** The audit trail across tenants, newest first, a page at a time, and the cursor it was read from (null: the newest page). */
export async function readAuditTrail(admin: AdminDatabase, session: RequestSession, request: TrailRequest = {}): Promise<TrailPage & { cursor: string | null }> {
  const cursor = eventCursorParam(request.cursor);
  const page = await auditedRead(admin, (tx) => crossTenantTrail(tx, { tenantId: request.tenant?.id, source: request.source, cursor, limit: request.limit ?? 50 }), {
    actorId: session.userId,
    action: 'admin.read.audit',
    tenantId: request.tenant?.id ?? null,
    tenantSlug: request.tenant?.slug ?? null,
    payload: (page) => ({ source: request.source ?? 'all', page: cursor ? 'older' : 'newest', events: page.entries.length }),
  });
  return { ...page, cursor };
}

/** A tenant's console exports, newest first. */
export function readExports(admin: AdminDatabase, session: RequestSession, tenant: { id: string; slug: string }): Promise<ExportRun[]> {
  return auditedRead(admin, (tx) => listTenantExports(tx, tenant.id), {
    actorId: session.userId,
    action: 'admin.read.exports',
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    payload: (runs) => ({ exports: runs.length }),
  });
}

/**
 * A tenant's id and status by slug, for the actions. Not audited as a read: it touches only the
 * registry row that the action's own platform event then names.
 */
export async function findTenant(admin: AdminDatabase, slug: string): Promise<{ id: string; slug: string; name: string; status: TenantRow['status'] } | null> {
  const valid = slugParam(slug);
  if (!valid) return null;
  const [tenant] = await admin.db.select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status }).from(tenants).where(eq(tenants.slug, valid));
  return tenant ?? null;
}

export interface ActivityDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  values: { platform: number; tenant: number };
}

/**
 * Events per day over the last `days` days (UTC, today included): the platform's own (what the
 * console read and did) and every tenant's audit events. Counts only, across tenants: audited.
 */
export function readActivity(admin: AdminDatabase, session: RequestSession, days = 30): Promise<ActivityDay[]> {
  const span = Math.min(Math.max(Math.trunc(days), 1), 366);
  return auditedRead(
    admin,
    async (tx) => {
      const rows = await tx.execute<{ day: string; platform: number; tenant: number }>(sql`
        with days as (
          select generate_series((now() at time zone 'utc')::date - ${span - 1}::int, (now() at time zone 'utc')::date, interval '1 day')::date as day
        ),
        since as (select (min(day)::timestamp at time zone 'utc') as t from days)
        select to_char(d.day, 'YYYY-MM-DD') as day,
          coalesce(p.n, 0)::int as platform,
          coalesce(e.n, 0)::int as tenant
        from days d
        left join (
          select (created_at at time zone 'utc')::date as day, count(*) as n from platform_events where created_at >= (select t from since) group by 1
        ) p on p.day = d.day
        left join (
          select (created_at at time zone 'utc')::date as day, count(*) as n from audit_events where created_at >= (select t from since) group by 1
        ) e on e.day = d.day
        order by d.day`);
      return [...rows].map((r) => ({ day: r.day, values: { platform: r.platform, tenant: r.tenant } }));
    },
    { actorId: session.userId, action: 'admin.read.activity', payload: (rows) => ({ days: rows.length }) },
  );
}

/** The languages the console offers a tenant, commonest first: a studio's customers, not every tag Intl knows. */
export const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'sv-SE', 'pl-PL', 'de-CH', 'ja-JP'] as const;

/**
 * The locale form's choices, each labelled with its name and how an amount and a date read in it
 * ("German (Germany): 1.234,50 € · 31.12.2026"); the tenant's current tag too if it is not in the list.
 */
export function localeChoices(current: string | null): { value: string; label: string }[] {
  const tags: string[] = [...LOCALES];
  if (current && !tags.includes(current)) tags.unshift(current);
  const names = new Intl.DisplayNames(['en'], { type: 'language' });
  return tags.map((tag) => {
    const sample = `${formatMoney(123450, 'EUR', tag)} · ${formatDate('2026-12-31', tag, 'short')}`;
    return { value: tag, label: `${names.of(tag) ?? tag}: ${sample}` };
  });
}
