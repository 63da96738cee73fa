import { formatDateTime, localeFor } from '@studio/ui/format';
import { headers } from 'next/headers';
import { AuditFilter, AuditTimeline, PageHeader } from '@studio/ui/components';
import Link from 'next/link';
import { actorChoices, AUDIT_KINDS, auditFilterParams, readAuditPage, timelineOf, type AuditKind } from '~/audit';
import { getAuth, pageContext } from '~/product';
import { Shell } from '~/components/shell';
import { tenantPath } from '~/paths';

export const metadata = { title: 'Audit log' };

export const dynamic = 'force-dynamic';

type Search = Promise<{ cursor?: string | string[]; kind?: string | string[]; actor?: string | string[] }>;

/**
 * The tenant's audit trail as a timeline, newest first, a page at a time (keyset: the cursor names
 * the last event shown): by day, each event's time, who (by name; support people as
 * "Support: <name>"), what happened in a sentence, the details folded. Filtered by kind of event
 * and by actor (GET parameters, kept by the page links).
 */
export default async function AuditTrail({ searchParams }: { searchParams: Search }) {
  const ctx = await pageContext('audit:read', '/audit');
  const search = await searchParams;
  const filter = auditFilterParams(search);
  const [{ cursor, page }, members, requestHeaders] = await Promise.all([readAuditPage(ctx.db, search.cursor, filter), getAuth().membersOf(ctx.tenant.id), headers()]);
  // The tenant's locale, else the reader's (localeFor).
  const locale = localeFor(ctx.tenant, requestHeaders);
  const when = (d: Date) => formatDateTime(d, locale);
  const [entries, actors] = await Promise.all([timelineOf(ctx.db, page.events, members, when), actorChoices(ctx.db, members)]);
  const kinds = (Object.keys(AUDIT_KINDS) as AuditKind[]).map((id) => ({ id, label: AUDIT_KINDS[id].label }));
  const home = tenantPath(ctx.tenant.slug, '/audit');
  const link = (extra: Record<string, string>) => {
    const query = new URLSearchParams(Object.entries({ kind: filter.kind, actor: filter.actor, ...extra }).filter(([, v]) => v !== ''));
    const text = query.toString();
    return text ? `${home}?${text}` : home;
  };
  const filtered = filter.kind || filter.actor;
  return (
    <Shell ctx={ctx}>
      <PageHeader
        title="Audit trail"
        description={`What happened in ${ctx.tenant.name}, newest first. Every change is recorded in the same transaction as the change itself. Times are UTC.`}
      />
      <AuditFilter path={home} kinds={kinds} actors={actors} kind={filter.kind} actor={filter.actor} action="" />
      {entries.length === 0 ? (
        <p data-testid="no-events">
          No events {filtered ? 'match this filter' : ''}
          {cursor ? ' before these' : filtered ? '' : 'yet'}.
        </p>
      ) : (
        <AuditTimeline entries={entries} locale={locale} />
      )}
      <nav aria-label="Pages" className="mt-4 flex flex-wrap gap-4">
        {cursor && (
          <Link href={link({})} data-testid="newest">
            ← Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link href={link({ cursor: page.nextCursor })} data-testid="older">
            Older events →
          </Link>
        )}
      </nav>
    </Shell>
  );
}
