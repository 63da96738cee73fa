/**
 * Support access as the tenant sees it (issue 23): the platform's break-glass grants that are open
 * on this tenant now, and readable names for the actors of its audit trail.
 *
 * Read from what the tenant already owns, its own `audit_events`: break-glass writes the tenant's
 * `support_access.grant` row (naming the admin, the reason, the expiry and whether writes are
 * allowed) before the grant exists, and `support_access.end` when the admin ends it early. So the
 * product role needs no read of `break_glass_grants` (a platform table, C11, C15): nothing here
 * reads another tenant's rows or any platform table, and the query goes through the scoped client
 * (guard, RLS) like any other.
 *
 * A grant is open when its grant row says it has not expired, no end row names it, and the same
 * admin has not been granted again since (a new grant replaces theirs). Like the trail itself it
 * may over-report, never under-report: a grant whose platform row failed to commit, or one ended
 * while the tenant was suspended (its trail could not take the end row), shows until its expiry.
 */
import { auditEvents } from '@studio/db-schema/schema';
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import { isUuid } from './ids';
import type { TenantDb } from './scoped/tenant-db';

/** The longest grant break-glass may give, in minutes: how far back the open grants are looked for. */
export const SUPPORT_ACCESS_LONGEST_MINUTES = 240;
/** Clock skew allowed between the app that wrote a grant and the database's created_at. */
const SLACK_MS = 5 * 60_000;

export const SUPPORT_ACCESS_ACTIONS = ['support_access.grant', 'support_access.view', 'support_access.end'] as const;

/** A support person's access to the tenant, as its audit trail recorded it. */
export interface SupportGrant {
  /** The grant's id (the audit rows' target). */
  grantId: string;
  /** The platform admin (the audit rows' actor); null for a row without one. */
  adminId: string | null;
  /** Their name and address when the grant was given; null when an old row did not record them. */
  adminName: string | null;
  adminEmail: string | null;
  reason: string;
  grantedAt: Date;
  expiresAt: Date;
  /** Read-only unless true. */
  allowWrites: boolean;
}

type AuditRow = Pick<typeof auditEvents.$inferSelect, 'actorId' | 'action' | 'target' | 'payload' | 'createdAt'>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * What a `support_access.*` row says about its grant (grant, view and end rows all name the
 * admin and the reason; older rows may lack the name, the expiry or the mode). Null for any other row.
 */
export function supportGrantOf(event: AuditRow): SupportGrant | null {
  if (!(SUPPORT_ACCESS_ACTIONS as readonly string[]).includes(event.action)) return null;
  const p = event.payload ?? {};
  const expiresAt = dateOf(p.expiresAt);
  return {
    grantId: text(p.grantId) ?? event.target ?? '',
    adminId: event.actorId,
    adminName: text(p.adminName),
    adminEmail: text(p.adminEmail),
    reason: text(p.reason) ?? '',
    grantedAt: event.createdAt,
    // An old row without an expiry: the longest a grant can last.
    expiresAt: expiresAt ?? new Date(event.createdAt.getTime() + SUPPORT_ACCESS_LONGEST_MINUTES * 60_000),
    allowWrites: p.allowWrites === true,
  };
}

/** "Ann Admin (admin@studio.test)", or whichever of the two was recorded, or "a platform admin". */
export function supportPersonOf(grant: Pick<SupportGrant, 'adminName' | 'adminEmail'>): string {
  if (grant.adminName && grant.adminEmail) return `${grant.adminName} (${grant.adminEmail})`;
  return grant.adminName ?? grant.adminEmail ?? 'a platform admin';
}

/**
 * The support grants open on the tenant of `tdb` now (`now` for tests), newest first: who, why,
 * until when, read-only or with writes. One indexed range read of the tenant's own trail (the
 * last SUPPORT_ACCESS_LONGEST_MINUTES), through the scoped client: any member's request may call
 * it (the banner every member sees), a read-only client too.
 */
export async function openSupportGrants(tdb: TenantDb, options: { now?: Date } = {}): Promise<SupportGrant[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - SUPPORT_ACCESS_LONGEST_MINUTES * 60_000 - SLACK_MS);
  const rows = await tdb
    .select({ actorId: auditEvents.actorId, action: auditEvents.action, target: auditEvents.target, payload: auditEvents.payload, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tdb.tenantId), gt(auditEvents.createdAt, since), inArray(auditEvents.action, ['support_access.grant', 'support_access.end'])))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
  const open = new Map<string, SupportGrant>();
  for (const row of rows) {
    const grant = supportGrantOf(row);
    if (!grant) continue;
    if (row.action === 'support_access.end') {
      open.delete(grant.grantId);
      continue;
    }
    // A new grant replaces the same admin's earlier one (break-glass revokes it).
    for (const [id, earlier] of open) if (earlier.adminId !== null && earlier.adminId === grant.adminId) open.delete(id);
    const replaces = row.payload?.replaces;
    if (Array.isArray(replaces)) for (const id of replaces) if (typeof id === 'string') open.delete(id);
    open.set(grant.grantId, grant);
  }
  return [...open.values()].filter((g) => g.expiresAt.getTime() > now.getTime()).sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime());
}

/** Who an audit row's actor is, for a reader. */
export type ActorName =
  | { kind: 'member'; label: string; name: string; email: string }
  | { kind: 'support'; label: string; name: string | null; email: string | null }
  | { kind: 'former'; label: string; email: string | null }
  | { kind: 'token'; label: string }
  | { kind: 'system'; label: string };

export interface MemberName {
  userId: string;
  name: string;
  email: string;
}

/**
 * Names for the actors of `events`: a member by name and address ("Ann <ann@x>"), a support
 * person by what their grant rows recorded ("Support: Ann Admin (admin@studio.test)"), a former
 * member by the address their join or removal recorded ("a former member (bob@x)"), an API token,
 * the system; "a former member" alone only when the trail knows nothing of them. `members` is the
 * tenant's current members (the auth library's membersOf). One read of the tenant's own trail,
 * only for actors that are not members.
 */
export async function auditActorNames(tdb: TenantDb, events: readonly Pick<AuditRow, 'actorId' | 'action' | 'payload'>[], members: readonly MemberName[]): Promise<(event: Pick<AuditRow, 'actorId' | 'action' | 'payload'>) => ActorName> {
  const byId = new Map(members.map((m) => [m.userId, m]));
  const support = new Map<string, { name: string | null; email: string | null }>();
  const former = new Map<string, string>();
  // The page itself may already say who a support person is.
  for (const e of events) {
    if (!e.actorId || byId.has(e.actorId) || !(SUPPORT_ACCESS_ACTIONS as readonly string[]).includes(e.action)) continue;
    const name = text(e.payload?.adminName);
    const email = text(e.payload?.adminEmail);
    if (!support.has(e.actorId) || (name && !support.get(e.actorId)!.name)) support.set(e.actorId, { name, email });
  }
  const unknown = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id && !byId.has(id) && !support.has(id)))];
  if (unknown.length > 0) {
    const rows = await tdb
      .select({ actorId: auditEvents.actorId, action: auditEvents.action, payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tdb.tenantId), inArray(auditEvents.actorId, unknown), inArray(auditEvents.action, ['support_access.grant', 'support_access.end', 'member.join'])))
      .orderBy(desc(auditEvents.createdAt))
      .limit(500);
    for (const row of rows) {
      const id = row.actorId!;
      if (row.action === 'member.join') {
        const email = text(row.payload?.email);
        if (email && !former.has(id)) former.set(id, email);
      } else if (!support.has(id)) {
        support.set(id, { name: text(row.payload?.adminName), email: text(row.payload?.adminEmail) });
      }
    }
    // Removed members: their removal names them (payload.userId, email).
    const stillUnknown = new Set(unknown.filter((id) => !support.has(id) && !former.has(id)));
    if (stillUnknown.size > 0) {
      const removals = await tdb
        .select({ payload: auditEvents.payload })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tdb.tenantId), eq(auditEvents.action, 'member.remove')))
        .orderBy(desc(auditEvents.createdAt))
        .limit(500);
      for (const { payload } of removals) {
        const id = text(payload?.userId);
        const email = text(payload?.email);
        if (id && email && stillUnknown.has(id) && !former.has(id)) former.set(id, email);
      }
    }
  }
  return (event) => {
    if (!event.actorId) return event.payload?.apiTokenId ? { kind: 'token', label: 'an API token' } : { kind: 'system', label: 'the system' };
    const member = byId.get(event.actorId);
    if (member) return { kind: 'member', label: `${member.name} <${member.email}>`, name: member.name, email: member.email };
    const person = support.get(event.actorId);
    if (person) return { kind: 'support', label: `Support: ${supportPersonOf({ adminName: person.name, adminEmail: person.email })}`, ...person };
    const email = former.get(event.actorId) ?? null;
    return { kind: 'former', label: email ? `a former member (${email})` : 'a former member', email };
  };
}

/**
 * A sentence for a `support_access.*` row ("granted read-only support access until ...: <reason>"),
 * without the actor, or null for any other row. `when` formats the expiry (the app's locale).
 */
export function describeSupportAccess(event: AuditRow, when: (date: Date) => string): string | null {
  const grant = supportGrantOf(event);
  if (!grant) return null;
  const mode = grant.allowWrites ? 'with writes' : 'read-only';
  const reason = grant.reason ? `: ${grant.reason}` : '';
  switch (event.action) {
    case 'support_access.grant':
      return `opened support access (${mode}) until ${when(grant.expiresAt)}${reason}`;
    case 'support_access.view': {
      const viewing = text(event.payload?.viewing);
      return `looked at ${viewing ?? 'your data'} under support access (${mode})${reason}`;
    }
    default:
      return `ended support access early${reason}`;
  }
}

/** The support people the tenant's trail has seen (newest grant first), for an actor filter. */
export async function supportPeople(tdb: TenantDb, limit = 50): Promise<{ adminId: string; label: string }[]> {
  const rows = await tdb
    .select({ actorId: auditEvents.actorId, payload: auditEvents.payload })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tdb.tenantId), eq(auditEvents.action, 'support_access.grant')))
    .orderBy(desc(auditEvents.createdAt))
    .limit(500);
  const people = new Map<string, string>();
  for (const row of rows) {
    if (!row.actorId || people.has(row.actorId)) continue;
    people.set(row.actorId, `Support: ${supportPersonOf({ adminName: text(row.payload?.adminName), adminEmail: text(row.payload?.adminEmail) })}`);
    if (people.size >= limit) break;
  }
  return [...people].map(([adminId, label]) => ({ adminId, label }));
}

/** The actions every product's trail holds besides its own, by kind (for a filter). */
export const COMMON_AUDIT_KINDS = {
  members: ['member.invite', 'member.join', 'member.remove', 'member.role_change', 'invitation.cancel', 'invitation.reject'],
  support: [...SUPPORT_ACCESS_ACTIONS],
  tokens: ['api_token.create', 'api_token.revoke'],
} as const satisfies Record<string, readonly string[]>;

/**
 * A sentence, without its actor, for the events every product's trail holds (members,
 * invitations, API tokens, support access, exports): "invited bob@x as member". Null for a
 * product's own actions. `nameOf` names a user id (the member's name, or null).
 */
export function describeCommonEvent(event: AuditRow, helpers: { when: (date: Date) => string; nameOf?: (userId: string) => string | null }): string | null {
  const p = event.payload ?? {};
  const who = (id: unknown, fallback: string) => (typeof id === 'string' && helpers.nameOf?.(id)) || fallback;
  switch (event.action) {
    case 'member.invite':
      return `invited ${text(p.email) ?? event.target ?? 'someone'}${text(p.role) ? ` as ${String(p.role)}` : ''}`;
    case 'member.join':
      return `joined the workspace${text(p.role) ? ` as ${String(p.role)}` : ''}`;
    case 'member.remove':
      return `removed ${text(p.email) ?? who(p.userId, 'a member')} from the workspace`;
    case 'member.role_change':
      return `changed ${who(p.userId, 'a member')}'s role${text(p.from) ? ` from ${String(p.from)}` : ''}${text(p.to) ? ` to ${String(p.to)}` : ''}`;
    case 'invitation.cancel':
      return `cancelled the invitation to ${event.target ?? 'someone'}${text(p.reason) ? ` (${String(p.reason)})` : ''}`;
    case 'invitation.reject':
      return `declined the invitation to ${event.target ?? 'the workspace'}`;
    case 'api_token.create':
      return `created the API token ${text(p.name) ? `"${String(p.name)}"` : ''}${Array.isArray(p.scopes) ? ` (${p.scopes.join(', ')})` : ''}`.trim();
    case 'api_token.revoke':
      return `revoked the API token ${text(p.name) ? `"${String(p.name)}"` : ''}`.trim();
    case 'export.requested':
      return 'asked for an export of the workspace';
    case 'export.completed':
      return `finished an export${typeof p.rows === 'number' ? ` (${p.rows} rows)` : ''}`;
    default:
      return describeSupportAccess(event, helpers.when);
  }
}

/**
 * One event of a product's audit timeline, as plain values: what @studio/ui's AuditTimeline
 * shows (a day heading, the time, who, a sentence, the recorded details).
 */
export interface TimelineEntry {
  id: string;
  at: Date;
  action: string;
  target: string;
  actor: ActorName;
  /** What happened, without the actor: 'created invoice ACME-0042 (€1,200.00)'. */
  sentence: string;
  payload: Record<string, unknown>;
  /** A support person did it (or it is a support access row): the timeline marks it. */
  support: boolean;
}

/**
 * A page of the trail as timeline entries: each actor named (auditActorNames: members, support
 * people, former members), each event a sentence by `describe`, the product's own wording of its
 * actions (describeCommonEvent first, for the events every product has). `nameOf` names a
 * current member by id.
 */
export async function auditTimeline<E extends AuditRow & { id: string }>(
  tdb: TenantDb,
  events: readonly E[],
  members: readonly MemberName[],
  describe: (event: E, nameOf: (userId: string) => string | null) => string,
): Promise<TimelineEntry[]> {
  const actorOf = await auditActorNames(tdb, events, members);
  const memberName = new Map(members.map((m) => [m.userId, m.name || m.email]));
  const nameOf = (id: string) => memberName.get(id) ?? null;
  return events.map((event) => {
    const actor = actorOf(event);
    return {
      id: event.id,
      at: event.createdAt,
      action: event.action,
      target: event.target ?? '',
      actor,
      sentence: describe(event, nameOf),
      payload: event.payload ?? {},
      support: actor.kind === 'support' || event.action.startsWith('support_access.'),
    };
  });
}

/** The actor filter's choices: the members, then the support people the trail has seen. */
export async function auditActorChoices(tdb: TenantDb, members: readonly MemberName[]): Promise<{ id: string; label: string }[]> {
  const support = await supportPeople(tdb);
  const memberIds = new Set(members.map((m) => m.userId));
  return [
    ...members.map((m) => ({ id: m.userId, label: m.name ? `${m.name} <${m.email}>` : m.email })),
    ...support.filter((s) => !memberIds.has(s.adminId)).map((s) => ({ id: s.adminId, label: s.label })),
  ];
}

/** The fallback sentence for an action no describer knows: the action and its target. */
export function describeUnknownEvent(event: Pick<AuditRow, 'action' | 'target'>): string {
  return `${event.action}${event.target ? ` on ${event.target.slice(0, 36)}` : ''}`;
}

/**
 * A trail filter from its URL (`?kind=&actor=`): a kind among `kinds` (the product's own list of
 * kinds of event) and a user id; '' for anything else, so an edited link shows everything rather
 * than an error.
 */
export function auditFilterOf<K extends string>(search: { kind?: string | string[]; actor?: string | string[] }, kinds: Readonly<Record<K, unknown>>): { kind: K | ''; actor: string } {
  const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value.trim().slice(0, 100) : '');
  const kind = one(search.kind);
  const actor = one(search.actor);
  return { kind: Object.hasOwn(kinds, kind) ? (kind as K) : '', actor: isUuid(actor) ? actor : '' };
}
