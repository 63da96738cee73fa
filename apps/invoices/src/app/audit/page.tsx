import { formatDateTime } from '@studio/ui/format';
import { AuditFilter, AuditTimeline, PageHeader } from '@studio/ui/components';
import { Pager, Shell } from '~/components/nav';
import { actorChoices, AUDIT_KINDS, readAuditPage, timelineOf, type AuditKind } from '~/lib/audit';
import { requestLocale } from '~/lib/locale';
import { getAuth, pageContext } from '~/product';

export const metadata = { title: 'Audit log' };

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * The tenant's audit trail (C10) as a timeline, newest first: by day, each event's time, who (by
 * name; support people as "Support: <name>"), what happened in a sentence, the details folded.
 * Filtered by kind of event and by actor (GET parameters), a page of 50 at a time.
 */
export default async function AuditTrail({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('audit:read', '/audit');
  // The support-access banner is the shell's (every member page), not this page's.
  const [{ action, kind, actor, after, page }, locale, members] = await Promise.all([readAuditPage(ctx.db, search), requestLocale(ctx.tenant), getAuth().membersOf(ctx.tenant.id)]);
  const when = (d: Date) => formatDateTime(d, locale);
  const [entries, actors] = await Promise.all([timelineOf(ctx.db, page.events, members, locale, when), actorChoices(ctx.db, members)]);
  const kinds = (Object.keys(AUDIT_KINDS) as AuditKind[]).map((id) => ({ id, label: AUDIT_KINDS[id].label }));
  const filtered = kind || actor || action;
  return (
    <Shell ctx={ctx}>
      <PageHeader title="Audit trail" description={`What happened in ${ctx.tenant.name}, newest first. Times are UTC.`} />
      <AuditFilter path="/audit" kinds={kinds} actors={actors} kind={kind} actor={actor} action={action} />
      {entries.length === 0 ? (
        <p data-testid="empty">No events{filtered ? ' match this filter' : ''}{after ? ' before these' : ''}.</p>
      ) : (
        <AuditTimeline entries={entries} locale={locale} />
      )}
      <Pager path="/audit" params={{ kind, actor, action, after }} next={page.nextCursor} />
    </Shell>
  );
}
