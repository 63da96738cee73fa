import type { AuditKind } from '~/audit';

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
  action,
}: {
  path: string;
  kinds: readonly { id: AuditKind; label: string }[];
  actors: readonly { id: string; label: string }[];
  kind: string;
  actor: string;
  /** An exact action from an older link (`?action=`), kept while it is set. */
  action: string;
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
