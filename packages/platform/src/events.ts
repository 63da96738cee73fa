/**
 * The platform's own audit trail (C11): what the admin console read and did across tenants, as
 * rows of `platform_events` written by the admin role. `auditedRead` runs a cross-tenant read and
 * writes its event in one transaction: a read whose event cannot be written returns nothing.
 */
import { platformEvents } from '@studio/db-schema/schema';
import { sql, type SQL } from 'drizzle-orm';
import type { AdminDatabase } from './admin-database';
import { decodeEventCursor, encodeEventCursor, type EventKey } from '@studio/tenancy/audit';
import { TenancyError } from '@studio/tenancy';
import { isUuid } from '@studio/tenancy';

type AdminDb = AdminDatabase['db'];
/** The admin client inside a transaction. */
export type AdminTx = Parameters<Parameters<AdminDb['transaction']>[0]>[0];

export interface PlatformEvent {
  /** The platform admin who acted; null for an operator's tool. */
  actorId: string | null;
  /** `admin.read.tenants`, `admin.tenant.suspend`: lowercase dotted words. */
  action: string;
  /** The tenant the event concerns, if one. */
  tenantId?: string | null;
  tenantSlug?: string | null;
  /** What was read or done (never secrets). JSON, at most 64 KiB. */
  payload?: Record<string, unknown>;
}

export class PlatformEventError extends TenancyError {
  constructor(message: string) {
    super('PLATFORM_EVENT_INVALID', message);
  }
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

function checked(event: PlatformEvent): typeof platformEvents.$inferInsert {
  if (typeof event.action !== 'string' || event.action.length > 100 || !ACTION.test(event.action)) {
    throw new PlatformEventError(`Platform event action ${JSON.stringify(event.action)} must look like 'admin.read.tenants' (lowercase dotted words, at most 100 characters).`);
  }
  const payload = event.payload ?? {};
  const json = JSON.stringify(payload);
  if (json === undefined || json.length > 65_536) throw new PlatformEventError('Platform event payload must be JSON of at most 64 KiB.');
  return { actorId: event.actorId, action: event.action, tenantId: event.tenantId ?? null, tenantSlug: event.tenantSlug ?? null, payload };
}

/** Writes one platform event (in `db`'s transaction when it is one). */
export async function recordPlatformEvent(db: AdminDb | AdminTx, event: PlatformEvent): Promise<void> {
  await db.insert(platformEvents).values(checked(event));
}

export interface AuditedReadEvent<T> extends Omit<PlatformEvent, 'payload' | 'tenantId'> {
  /** The tenant the read concerns: fixed, or found by the read itself (a lookup by slug). */
  tenantId?: string | null | ((result: T) => string | null);
  /** What was read: fixed, or computed from the result (row counts, ids). */
  payload?: Record<string, unknown> | ((result: T) => Record<string, unknown>);
}

/**
 * A cross-tenant read and its platform event, in one transaction of the admin pool: the result is
 * returned only once the event is committed. The read comes first so that the event's payload
 * function is typed by what it returns.
 */
export async function auditedRead<T>(admin: AdminDatabase, read: (tx: AdminTx) => Promise<T>, event: AuditedReadEvent<T>): Promise<T> {
  checked({ ...event, tenantId: null, payload: {} });
  return admin.db.transaction(async (tx) => {
    const result = await read(tx);
    const payload = typeof event.payload === 'function' ? event.payload(result) : event.payload;
    const tenantId = typeof event.tenantId === 'function' ? event.tenantId(result) : event.tenantId;
    await recordPlatformEvent(tx, { ...event, tenantId, payload });
    return result;
  });
}

export interface TrailEntry {
  /** `platform`: a platform_events row; `tenant`: a tenant's own audit_events row. */
  source: 'platform' | 'tenant';
  id: string;
  createdAt: Date;
  actorId: string | null;
  /** The actor's email when the user still exists. */
  actorEmail: string | null;
  action: string;
  tenantId: string | null;
  tenantSlug: string | null;
  /** What a tenant event acted on (platform events have none). */
  target: string | null;
  payload: Record<string, unknown>;
}

export interface TrailQuery {
  /** One tenant's events: its own trail and the platform's events about it. */
  tenantId?: string;
  source?: 'all' | 'platform' | 'tenant';
  /** At most 200 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface TrailPage {
  entries: TrailEntry[];
  /** The next (older) page; null on the last one. */
  nextCursor: string | null;
}


/** The trails' one keyset cursor (@studio/tenancy/audit's, as a tenant's trail), or a PlatformEventError. */
function decodeCursor(cursor: string): EventKey {
  const key = decodeEventCursor(cursor);
  if (!key) throw new PlatformEventError('Invalid audit trail cursor: open the first page again (a page reads its URL with eventCursorParam).');
  return key;
}

/**
 * Platform events and every tenant's audit_events, newest first, keyset-paginated on
 * (created_at, id) with microsecond cursors. Reads across tenants: call it through auditedRead.
 */
export async function crossTenantTrail(db: AdminDb | AdminTx, query: TrailQuery = {}): Promise<TrailPage> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const source = query.source ?? 'all';
  if (query.tenantId !== undefined && !isUuid(query.tenantId)) throw new PlatformEventError(`Invalid tenant id ${JSON.stringify(query.tenantId)}.`);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const before = (alias: string): SQL =>
    cursor
      ? sql`and (${sql.raw(alias)}.created_at, ${sql.raw(alias)}.id) < (timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`
      : sql``;
  const ofTenant = (alias: string): SQL => (query.tenantId ? sql`and ${sql.raw(alias)}.tenant_id = ${query.tenantId}::uuid` : sql``);
  // Each branch is limited on its own, so an index on (created_at) or (tenant_id, created_at) can serve it.
  const branches: SQL[] = [];
  if (source !== 'tenant') {
    branches.push(sql`(select 'platform' as source, p.id, p.created_at, p.actor_id, p.action, p.tenant_id, p.tenant_slug, null::text as target, p.payload
      from platform_events p where true ${ofTenant('p')} ${before('p')}
      order by p.created_at desc, p.id desc limit ${limit + 1})`);
  }
  if (source !== 'platform') {
    branches.push(sql`(select 'tenant' as source, e.id, e.created_at, e.actor_id, e.action, e.tenant_id, t.slug as tenant_slug, e.target, e.payload
      from audit_events e left join tenants t on t.id = e.tenant_id where true ${ofTenant('e')} ${before('e')}
      order by e.created_at desc, e.id desc limit ${limit + 1})`);
  }
  const rows = await db.execute<{
    source: 'platform' | 'tenant';
    id: string;
    micros: string;
    actor_id: string | null;
    actor_email: string | null;
    action: string;
    tenant_id: string | null;
    tenant_slug: string | null;
    target: string | null;
    payload: Record<string, unknown>;
  }>(sql`
    select x.source, x.id, (extract(epoch from x.created_at) * 1000000)::bigint::text as micros,
      x.actor_id, u.email as actor_email, x.action, x.tenant_id, x.tenant_slug, x.target, x.payload
    from (${sql.join(branches, sql` union all `)}) x
    left join users u on u.id = x.actor_id
    order by x.created_at desc, x.id desc
    limit ${limit + 1}`);
  const page = [...rows].slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((r) => ({
      source: r.source,
      id: r.id,
      // Microseconds since the epoch; a Date keeps milliseconds.
      createdAt: new Date(Math.floor(Number(r.micros) / 1000)),
      actorId: r.actor_id,
      actorEmail: r.actor_email,
      action: r.action,
      tenantId: r.tenant_id,
      tenantSlug: r.tenant_slug,
      target: r.target,
      payload: r.payload,
    })),
    nextCursor: rows.length > limit && last ? encodeEventCursor({ micros: last.micros, id: last.id }) : null,
  };
}
