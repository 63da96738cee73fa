import { EmptyState, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { formatBytes } from '@studio/platform';
import { Page, StatusBadge, When } from '~/components/chrome';
import { AutoRefresh, StartExportForm } from '~/components/forms';
import { getAdmin } from '~/db';
import { findTenant, readExports, slugParam } from '~/lib/console';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: `Exports · ${slug}` };
}

export const dynamic = 'force-dynamic';

export default async function Exports({ params }: { params: Promise<{ slug: string }> }) {
  const { slug: raw } = await params;
  const session = await adminContext('platform-admin', `/tenants/${raw}/exports`);
  const slug = slugParam(raw);
  if (!slug) notFound();
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slug);
  if (!tenant) notFound();
  const runs = await readExports(admin, session, tenant);
  return (
    <Page session={session}>
      <AutoRefresh active={runs.some((r) => r.status === 'running')} />
      <p className="mb-2 text-sm">
        <Link href={`/tenants/${tenant.slug}`}>← {tenant.name}</Link>
      </p>
      <PageHeader
        title={`Exports of ${tenant.name}`}
        description={
          <>
            Every row of {tenant.name}&apos;s tables and its platform rows (members, invitations), from one snapshot, as ndjson with a manifest of row
            counts and checksums. It runs in the background; this page shows when it is done. Stored in the tenant&apos;s own files
            (tenants/&lt;id&gt;/exports/). Bigger tenants: <code>pnpm studio tenants export {tenant.slug}</code>.
          </>
        }
        actions={<StartExportForm slug={tenant.slug} />}
      />
      <Table
        data-testid="exports"
        caption={`Exports of ${tenant.name}`}
        empty={<EmptyState title="No exports yet">Start one: it runs in the background, and this page shows when it is done.</EmptyState>}
        columns={[
          { key: 'started', header: 'Started' },
          { key: 'by', header: 'By' },
          { key: 'status', header: 'Status' },
          { key: 'rows', header: 'Rows', align: 'end' },
          { key: 'size', header: 'Size', align: 'end' },
          { key: 'file', header: 'File' },
        ]}
        rows={runs.map((r) => ({
          key: r.exportId,
          'data-testid': `export-${r.status}`,
          cells: {
            started: <When at={r.startedAt} />,
            by: r.startedBy ?? '-',
            status: (
              <>
                <StatusBadge status={r.status} /> {r.error && <span className="text-danger">{r.error}</span>}
                {r.status === 'interrupted' && <small> the console restarted before it finished; start it again</small>}
              </>
            ),
            rows: r.rows?.toLocaleString('en') ?? '',
            size: r.bytes === null ? '' : formatBytes(r.bytes),
            file:
              r.status === 'done' ? (
                <span className="break-all">
                  <a href={`/tenants/${tenant.slug}/exports/${r.file}`} data-testid="download">
                    {r.file}
                  </a>{' '}
                  (<a href={`/tenants/${tenant.slug}/exports/${r.file}.manifest.json`}>manifest</a>)
                </span>
              ) : (
                <code className="break-all">{r.file}</code>
              ),
          },
        }))}
      />
    </Page>
  );
}
