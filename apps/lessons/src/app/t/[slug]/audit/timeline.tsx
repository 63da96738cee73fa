import { formatDate } from '@studio/ui/format';
import type { TimelineEntry } from '~/audit';

/** 'HH:MM UTC' in the locale's way. */
function timeOf(at: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);
  } catch {
    return at.toISOString().slice(11, 16);
  }
}

/** The entries by UTC day, in their order (newest first). */
function byDay(entries: readonly TimelineEntry[]): [string, TimelineEntry[]][] {
  const days = new Map<string, TimelineEntry[]>();
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
export function AuditTimeline({ entries, locale }: { entries: readonly TimelineEntry[]; locale: string }) {
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
