import type { TenantDb } from '@studio/tenancy';
import { isUuid } from '@studio/tenancy';
import { auditFilterOf, auditTimeline, auditTrail, COMMON_AUDIT_KINDS, describeCommonEvent, describeUnknownEvent, eventCursorParam, type AuditPage, type MemberName, type TimelineEntry } from '@studio/tenancy/audit';

const PAGE_SIZE = 25;

/** The filter's kinds of event: each a list of actions (auditTrail's `actions`). */
export const AUDIT_KINDS = {
  lessons: { label: 'Lesson plans', actions: ['lesson.create', 'lesson.update', 'lesson.share', 'lesson.delete', 'lesson.import'] },
  members: { label: 'Members and invitations', actions: COMMON_AUDIT_KINDS.members },
  support: { label: 'Support access', actions: COMMON_AUDIT_KINDS.support },
} as const satisfies Record<string, { label: string; actions: readonly string[] }>;

export type AuditKind = keyof typeof AUDIT_KINDS;

/** The filter from the URL (`?kind=&actor=`): a kind of AUDIT_KINDS and a user id, or '' for anything else. */
export function auditFilterParams(search: { kind?: string | string[]; actor?: string | string[] }): { kind: AuditKind | ''; actor: string } {
  return auditFilterOf(search, AUDIT_KINDS);
}

/**
 * The audit page's rows from its URL's `?cursor=` (and the filter, `?kind=&actor=`): 25 events a
 * page, newest first. A cursor that is not one the trail gave (edited by hand, cut short,
 * repeated) shows the first page, as on every list of the apps (`cursor` is then null: no
 * "newest" link).
 */
export async function readAuditPage(
  tdb: TenantDb,
  cursorParam: string | string[] | undefined,
  filter: { kind?: AuditKind | ''; actor?: string } = {},
): Promise<{ cursor: string | null; page: AuditPage }> {
  const cursor = eventCursorParam(cursorParam);
  const page = await auditTrail(tdb, {
    limit: PAGE_SIZE,
    cursor,
    actions: filter.kind ? AUDIT_KINDS[filter.kind].actions : undefined,
    actorId: filter.actor && isUuid(filter.actor) ? filter.actor : undefined,
  });
  return { cursor, page };
}

export type AuditEventRow = AuditPage['events'][number];
export type { TimelineEntry };

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** What a lessons event says, without its actor. */
export function describeLessonsEvent(event: AuditEventRow, helpers: { when: (d: Date) => string; nameOf: (userId: string) => string | null }): string {
  const common = describeCommonEvent(event, helpers);
  if (common) return common;
  const p = event.payload ?? {};
  const title = str(p.title) ? `"${String(p.title)}"` : (event.target ?? '');
  switch (event.action) {
    case 'lesson.create':
      return `created the lesson plan ${title}${p.shared === true ? ', shared' : ''}`;
    case 'lesson.update':
      return `edited the lesson plan ${title}${Array.isArray(p.changed) && p.changed.length > 0 ? ` (${p.changed.join(', ')})` : ''}`;
    case 'lesson.share':
      return p.shared === false ? `made the lesson plan ${title} private` : `shared the lesson plan ${title} with the workspace`;
    case 'lesson.delete':
      return `deleted the lesson plan ${title}`;
    case 'lesson.import':
      return `imported the lesson plan ${title}`;
    default:
      return describeUnknownEvent(event);
  }
}

/** The page's events as timeline entries (auditTimeline), in the lessons app's words. */
export function timelineOf(tdb: TenantDb, events: readonly AuditEventRow[], members: readonly MemberName[], when: (d: Date) => string): Promise<TimelineEntry[]> {
  return auditTimeline(tdb, events, members, (event, nameOf) => describeLessonsEvent(event, { when, nameOf }));
}

export { auditActorChoices as actorChoices } from '@studio/tenancy/audit';
