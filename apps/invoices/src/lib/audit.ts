import type { TenantDb } from '@studio/tenancy';
import { auditFilterOf, auditTimeline, auditTrail, COMMON_AUDIT_KINDS, describeCommonEvent, describeUnknownEvent, eventCursorParam, type AuditPage, type MemberName, type TimelineEntry } from '@studio/tenancy/audit';
import { formatMoney } from '@studio/ui/format';
import { searchParam } from '@studio/ui/lists';

/** The filter's kinds of event: each a list of actions (auditTrail's `actions`). */
export const AUDIT_KINDS = {
  invoices: { label: 'Invoices', actions: ['invoice.create', 'invoice.update', 'invoice.delete', 'invoice.void', 'invoice.status_change', 'invoice.export'] },
  customers: { label: 'Customers', actions: ['customer.create', 'customer.update', 'customer.delete', 'customer.import'] },
  members: { label: 'Members and invitations', actions: COMMON_AUDIT_KINDS.members },
  support: { label: 'Support access', actions: COMMON_AUDIT_KINDS.support },
  exports: { label: 'Exports', actions: ['export.requested', 'export.completed'] },
  tokens: { label: 'API tokens', actions: COMMON_AUDIT_KINDS.tokens },
} as const satisfies Record<string, { label: string; actions: readonly string[] }>;

export type AuditKind = keyof typeof AUDIT_KINDS;

/**
 * The audit page's rows from its URL (`?kind=&actor=&action=&after=`): 50 events a page, newest
 * first. `kind` is a kind of event (AUDIT_KINDS), `actor` a user id, `action` one exact action;
 * a value that is none of these is ignored. A cursor that is not one the trail gave (edited by
 * hand, cut short, repeated) shows the first page, as on every list of the apps.
 */
export async function readAuditPage(
  tdb: TenantDb,
  search: Record<string, string | string[] | undefined>,
): Promise<{ action: string; kind: AuditKind | ''; actor: string; after: string; page: AuditPage }> {
  const action = searchParam(search.action, 100);
  const { kind, actor } = auditFilterOf(search, AUDIT_KINDS);
  const after = eventCursorParam(search.after) ?? '';
  const page = await auditTrail(tdb, {
    action: action || undefined,
    actions: kind ? AUDIT_KINDS[kind].actions : undefined,
    actorId: actor || undefined,
    cursor: after || null,
    limit: 50,
  });
  return { action, kind, actor, after, page };
}

export type AuditEventRow = AuditPage['events'][number];
export type { TimelineEntry };

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** What an invoices event says, without its actor. */
export function describeInvoicesEvent(event: AuditEventRow, helpers: { locale: string; when: (d: Date) => string; nameOf: (userId: string) => string | null }): string {
  const p = event.payload ?? {};
  const common = describeCommonEvent(event, helpers);
  if (common) return common;
  const number = str(p.number) ?? (event.target ? event.target.slice(0, 8) : '');
  // The rows record the cents, not always the currency: an amount is written only with its currency.
  const amount = typeof p.amountCents === 'number' && str(p.currency) ? ` (${formatMoney(p.amountCents, str(p.currency)!, helpers.locale)})` : '';
  const via = p.via === 'support_access' ? ' under support access' : '';
  switch (event.action) {
    case 'invoice.create':
      return `created invoice ${number}${amount}`;
    case 'invoice.update':
      return `edited invoice ${number}${amount}${str(p.status) ? `, status ${String(p.status)}` : ''}`;
    case 'invoice.delete':
      return `deleted invoice ${number}`;
    case 'invoice.void':
      return `voided invoice ${number}${via}`;
    case 'invoice.status_change':
      return `set invoice ${str(p.number) ?? event.target ?? ''} to ${str(p.to) ?? 'a new status'}${via}`;
    case 'invoice.export':
      return 'exported invoices';
    case 'customer.create':
      return `added the customer ${str(p.name) ?? ''}`.trim();
    case 'customer.update':
      return `edited the customer ${str(p.name) ?? ''}`.trim();
    case 'customer.delete':
      return `deleted the customer ${str(p.name) ?? ''}`.trim();
    case 'customer.import':
      return `imported customers${typeof p.count === 'number' ? ` (${p.count})` : ''}`;
    default:
      return describeUnknownEvent(event);
  }
}

/** The page's events as timeline entries (auditTimeline), in the invoices app's words. */
export function timelineOf(tdb: TenantDb, events: readonly AuditEventRow[], members: readonly MemberName[], locale: string, when: (d: Date) => string): Promise<TimelineEntry[]> {
  return auditTimeline(tdb, events, members, (event, nameOf) => describeInvoicesEvent(event, { locale, when, nameOf }));
}
export { auditActorChoices as actorChoices } from '@studio/tenancy/audit';
