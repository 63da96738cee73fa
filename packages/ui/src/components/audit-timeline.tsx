import { formatDate } from '../format';

/**
 * The audit trail's timeline and filter, shared by every product (issue 23 item 5). Server-safe.
 * The entries are plain values: @studio/tenancy/audit's auditTimeline makes them from a page of
 * the tenant's trail (and auditActorChoices the filter's actors).
 */
export interface AuditTimelineEntry {
  id: string;
  at: Date;
  action: string;
  target: string;
  actor: { kind: string; label: string };
  sentence: string;
  payload: Record<string, unknown>;
  support: boolean;
}

/** 'HH:MM UTC' in the locale's way. */
function timeOf(at: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);
  } catch {
    return at.toISOString().slice(11, 16);
  }
}

/** The entries by UTC day, in their order (newest first). */
function byDay(entries: readonly AuditTimelineEntry[]): [string, AuditTimelineEntry[]][] {
  const days = new Map<string, AuditTimelineEntry[]>();
  for (const entry of entries) {
    const day = entry.at.toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), entry]);
  }
  return [...days];
}

/**
 * The audit trail as a timeline: a heading per day, then each event's time, who (a readable name;
 * support people marked), what (a sentence), and its recorded details folded away. No table, and
 * long values wrap: nothing scrolls sideways on a phone.
 */
export function AuditTimeline({ entries, locale }: { entries: readonly AuditTimelineEntry[]; locale: string }) {
  return (
    <div data-testid="audit" className="flex flex-col gap-6">
      {byDay(entries).map(([day, items]) => (
        <section key={day} aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`} className="sticky top-0 m-0 mb-2 bg-surface py-1 text-sm font-semibold text-muted">
            {formatDate(day, locale, 'long')}
          </h2>
          <ol className="m-0 flex list-none flex-col gap-2 border-l border-line p-0 pl-4">
            {items.map((entry) => (
              <li
                key={entry.id}
                data-testid="audit-event"
                data-action={entry.action}
                data-target={entry.target}
                data-actor-kind={entry.actor.kind}
                style={{ overflowWrap: 'anywhere' }}
                className={`min-w-0 break-words rounded-md px-3 py-2 ${entry.support ? 'border-l-4 border-warn-line bg-warn-soft text-warn-soft-fg' : 'bg-surface-2'}`}
              >
                <p className="m-0 text-sm leading-6">
                  <time dateTime={entry.at.toISOString()} className="mr-2 text-xs text-muted tabular-nums">
                    {timeOf(entry.at, locale)}
                  </time>
                  <strong data-testid="audit-actor" className="font-semibold">
                    {entry.actor.label}
                  </strong>{' '}
                  <span data-testid="audit-sentence">{entry.sentence}</span>
                </p>
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-muted">Details</summary>
                  <dl className="m-0 mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                    <dt className="font-medium">Action</dt>
                    <dd className="m-0">
                      <code>{entry.action}</code>
                    </dd>
                    {entry.target && (
                      <>
                        <dt className="font-medium">Target</dt>
                        <dd className="m-0 break-all">
                          <code>{entry.target}</code>
                        </dd>
                      </>
                    )}
                    <dt className="font-medium">When</dt>
                    <dd className="m-0">{entry.at.toISOString()}</dd>
                    {Object.keys(entry.payload).length > 0 && (
                      <>
                        <dt className="font-medium">Recorded</dt>
                        <dd className="m-0">
                          <pre className="m-0 whitespace-pre-wrap break-all font-mono text-xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{JSON.stringify(entry.payload, null, 2)}</pre>
                        </dd>
                      </>
                    )}
                  </dl>
                </details>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

/**
 * The trail's filter, a GET form (the URL says what is shown, and a link keeps it): a kind of
 * event and an actor. Submitting starts again at the newest events (no cursor).
 */
export function AuditFilter({
  path,
  kinds,
  actors,
  kind,
  actor,
  action = '',
}: {
  path: string;
  kinds: readonly { id: string; label: string }[];
  actors: readonly { id: string; label: string }[];
  kind: string;
  actor: string;
  /** An exact action from an older link (`?action=`), kept while it is set. */
  action?: string;
}) {
  const select = 'mt-1 block w-full max-w-full rounded-md border border-line-strong bg-surface px-2 py-1 text-sm';
  return (
    <form method="get" action={path} data-testid="audit-filter" role="search" aria-label="Filter the audit trail" className="my-4 flex flex-wrap items-end gap-3">
      <label className="min-w-0 flex-1 basis-40 text-sm" style={{ display: 'inline-block', maxWidth: '100%' }}>
        Kind of event
        <select name="kind" defaultValue={kind} className={select} style={{ maxWidth: '100%' }}>
          <option value="">All events</option>
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label className="min-w-0 flex-1 basis-40 text-sm" style={{ display: 'inline-block', maxWidth: '100%' }}>
        Who
        <select name="actor" defaultValue={actor} className={select} style={{ maxWidth: '100%' }}>
          <option value="">Everyone</option>
          {actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      {action && <input type="hidden" name="action" value={action} />}
      <button type="submit" className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg">
        Filter
      </button>
      {(kind || actor || action) && (
        <a href={path} className="text-sm underline" data-testid="clear-filter">
          Clear
        </a>
      )}
    </form>
  );
}
