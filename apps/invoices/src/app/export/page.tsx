import { can } from '@studio/tenancy/request';
import { Card, EmptyState, PageHeader, StatusBadge, Table } from '@studio/ui/components';
import { formatDateTime, formatNumber } from '@studio/ui/format';
import { Shell } from '~/components/nav';
import { exportStatus, listExports } from '~/jobs';
import { requestLocale } from '~/lib/locale';
import { pageContext } from '~/product';
import { ExportForm, ExportProgress } from './export-form';
import { sizeOf } from './size';

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
      <PageHeader title="Export my data" description={`Everything of ${ctx.tenant.name}, to keep or to take elsewhere.`} />
      <Card className="max-w-3xl">
        <p className="mt-0">
          Every table's rows, the audit trail and members included, from one snapshot, as ndjson (one JSON object per line) with a manifest of row counts and checksums. Passwords, tokens and invitation links are
          never included. A few exports an hour.
        </p>
        {can(ctx, 'exports:run') ? <ExportForm /> : <p className="m-0 text-sm text-muted">Owners and admins start exports.</p>}
      </Card>
      {current && <ExportProgress key={current.id} initial={current} locale={locale} />}
      <h2 className="mt-8">Earlier exports</h2>
      <Table
        caption="Earlier exports"
        data-testid="past-exports"
        columns={[
          { key: 'requested', header: 'Requested' },
          { key: 'state', header: 'Status' },
          { key: 'rows', header: 'Rows', align: 'end' },
          { key: 'download', header: <span className="sr-only">Download</span>, label: 'Download' },
        ]}
        rows={past.map((e) => ({
          key: e.id,
          cells: {
            requested: <time dateTime={e.requestedAt}>{formatDateTime(e.requestedAt, locale)}</time>,
            state: <StatusBadge status={e.state} />,
            rows: e.rows === undefined ? '—' : formatNumber(e.rows, locale),
            download: e.state === 'done' ? <a href={`/api/v1/exports/${e.id}/download`}>Download ({sizeOf(e.bytes)})</a> : e.state === 'failed' ? <span className="text-sm text-muted">{e.message}</span> : null,
          },
        }))}
        empty={<EmptyState title="No earlier exports">Exports you start appear here for download.</EmptyState>}
      />
    </Shell>
  );
}
