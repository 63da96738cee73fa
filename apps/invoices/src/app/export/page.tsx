import { formatDateTime } from '@studio/ui/format';
import { Shell } from '~/components/nav';
import { exportStatus, listExports } from '~/jobs';
import { requestLocale } from '~/lib/locale';
import { pageContext } from '~/product';
import { ExportForm, ExportProgress } from './export-form';

export const metadata = { title: 'Export' };

export const dynamic = 'force-dynamic';

/** Export my data: start one, follow it, download it. */
export default async function ExportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = await searchParams;
  const ctx = await pageContext('exports:read', '/export');
  const current = typeof search.id === 'string' ? await exportStatus(ctx, search.id) : null;
  const locale = await requestLocale(ctx.tenant);
  const past = (await listExports(ctx)).filter((e) => e.id !== current?.id).slice(0, 10);
  return (
    <Shell ctx={ctx}>
      <h1>Export my data</h1>
      <p>Everything of {ctx.tenant.name}: every table's rows, the audit trail and members included, from one snapshot, as ndjson (one JSON object per line) with a manifest of row counts and checksums. A few exports an hour.</p>
      <ExportForm />
      {current && <ExportProgress key={current.id} initial={current} locale={locale} />}
      {past.length > 0 && (
        <>
          <h2>Earlier exports</h2>
          <ul data-testid="past-exports">
            {past.map((e) => (
              <li key={e.id}>
                {formatDateTime(e.requestedAt, locale)}: {e.state}
                {e.state === 'done' && (
                  <>
                    {' '}
                    · <a href={`/api/v1/exports/${e.id}/download`}>download</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Shell>
  );
}
