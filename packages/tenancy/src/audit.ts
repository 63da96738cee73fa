/**
 * The audit trail (C10). `audit(tx, event)` writes an `audit_events` row in the caller's
 * transaction: inside `tdb.transaction(fn)` it rides with the COMMIT (no round trip of its own;
 * if it fails, the action is rolled back too). `tdb.audited(event)` gives a client whose next
 * statements each carry the event in their own single round trip. The actor comes from the
 * context the client was made for (`db.tenant(id, { actor })`, set by getTenantContext).
 */
import { auditEvents } from '@studio/db-schema/schema';
import { and, desc, eq, getTableColumns, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { decodeEventCursor, encodeEventCursor, InvalidCursorError } from './event-cursor';
import { auditTrailer, AuditEventError, type AuditActor, type AuditEvent } from './scoped/audit-event';
import { sealWith } from './scoped/sealer';
import { hooksOf, type TenantDb } from './scoped/tenant-db';

export { AuditEventError, type AuditActor, type AuditEvent };
// The trails' one keyset cursor (this trail's and the platform's, crossTenantTrail).
export { decodeEventCursor, encodeEventCursor, eventCursorParam, InvalidCursorError, type EventKey } from './event-cursor';
// Support access as the tenant sees it: open grants (the products' banner) and actor names.
export * from './support-access';

/**
 * Records `event`. In a transaction: sent with its COMMIT, so the action and its audit row
 * commit or roll back together. Outside one: written on its own.
 */
export async function audit(tx: TenantDb, event: AuditEvent): Promise<void> {
  const hooks = hooksOf(tx);
  const trailer = auditTrailer(tx.tenantId, hooks.actor, hooks.guard, event);
  if (hooks.readOnly) throw new AuditEventError(`Tenant ${tx.tenant.slug} is read-only: nothing to audit, nothing may be written.`);
  if (hooks.defer) hooks.defer(trailer);
  else {
    await hooks.run(trailer.sql, trailer.params, 'execute');
    hooks.audited?.();
  }
}

/**
 * Chains the tenant's unsealed events now (the scoped client does it in the background about a
 * second after each audited write) and returns how many it sealed. Inside transaction(fn) it
 * seals in that transaction.
 */
export async function sealAuditChain(tdb: TenantDb): Promise<number> {
  const hooks = hooksOf(tdb);
  if (hooks.readOnly) throw new AuditEventError(`Tenant ${tdb.tenant.slug} is read-only here: sealing its audit trail is a write.`);
  return sealWith((text, params) => hooks.run(text, params, 'execute'));
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  actorId?: string;
  action?: string;
  /** Any of these actions (a kind of event: every `invoice.*` the app knows, say). */
  actions?: readonly string[];
  target?: string;
  /** At most 500 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface AuditPage {
  events: (typeof auditEvents.$inferSelect)[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** created_at in microseconds since the epoch: a JS Date keeps only milliseconds, and two events may share one. */
const createdMicros = sql<string>`(extract(epoch from ${auditEvents.createdAt}) * 1000000)::bigint::text`;

/**
 * The tenant's trail, newest first, filtered, keyset-paginated on (tenant_id, created_at, id). A
 * `cursor` that is not a `nextCursor` of a trail throws InvalidCursorError (a 400 in a route
 * handler); a page reads its URL's cursor with eventCursorParam, which gives the first page instead.
 */
export async function auditTrail(tdb: TenantDb, query: AuditQuery = {}): Promise<AuditPage> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const where: SQL[] = [];
  if (query.from) where.push(gte(auditEvents.createdAt, query.from));
  if (query.to) where.push(lt(auditEvents.createdAt, query.to));
  if (query.actorId) where.push(eq(auditEvents.actorId, query.actorId));
  if (query.action) where.push(eq(auditEvents.action, query.action));
  if (query.actions) where.push(query.actions.length > 0 ? inArray(auditEvents.action, [...query.actions]) : sql`false`);
  if (query.target) where.push(eq(auditEvents.target, query.target));
  if (query.cursor) {
    const key = decodeEventCursor(query.cursor);
    if (!key) throw new InvalidCursorError('audit trail');
    const { micros, id } = key;
    where.push(sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', ${id}::uuid)`);
  }
  const rows = await tdb
    .select({ ...getTableColumns(auditEvents), cursorMicros: createdMicros })
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeEventCursor({ micros: last.cursorMicros, id: last.id }) : null;
  return { events: page.map(({ cursorMicros: _, ...event }) => event), nextCursor };
}

export type ChainVerdict =
  | { ok: true; events: number; unsealed: number }
  | { ok: false; events: number; unsealed: number; seq: number; id: string; problem: 'hash' | 'link' | 'gap' };

/**
 * Seals what is pending (unless the client is read-only), then recomputes the tenant's hash
 * chain in Postgres and reports the first break: a row whose hash does not match its content
 * (edited), whose prev_hash is not the previous row's hash, or a missing seq (deleted).
 * `events` counts the sealed events checked, `unsealed` those not chained yet (only a read-only
 * client leaves any).
 */
export async function verifyAuditChain(tdb: TenantDb): Promise<ChainVerdict> {
  if (!hooksOf(tdb).readOnly) await sealAuditChain(tdb);
  const rows = await tdb.execute<{ events: number; unsealed: number; seq: string | null; id: string | null; problem: string | null }>(sql`
    with chain as (
      select id, seq, prev_hash, hash,
        studio_audit_hash(prev_hash, tenant_id, seq, created_at, actor_id, action, target, payload) as expected,
        lag(hash) over (order by seq) as previous_hash,
        lag(seq) over (order by seq) as previous_seq
      from audit_events where tenant_id = ${tdb.tenantId} and seq is not null
    ), broken as (
      select id, seq,
        case when hash is distinct from expected then 'hash'
             when seq <> coalesce(previous_seq, 0) + 1 then 'gap'
             when prev_hash is distinct from previous_hash then 'link' end as problem
      from chain
    )
    select (select count(*)::int from chain) as events,
      (select count(*)::int from audit_events where tenant_id = ${tdb.tenantId} and seq is null) as unsealed,
      b.seq::text as seq, b.id::text as id, b.problem
    from (select 1) one
    left join lateral (select * from broken where problem is not null order by seq limit 1) b on true`);
  const row = rows[0]!;
  if (!row.problem) return { ok: true, events: row.events, unsealed: row.unsealed };
  return { ok: false, events: row.events, unsealed: row.unsealed, seq: Number(row.seq), id: row.id!, problem: row.problem as 'hash' | 'link' | 'gap' };
}
