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
      <p>
        <Link href={`/tenants/${tenant.slug}`}>← {tenant.name}</Link>
      </p>
      <h1>Exports of {tenant.name}</h1>
      <p className="muted">
        Every row of {tenant.name}&apos;s tables and its platform rows (members, invitations), from one snapshot, as ndjson with a manifest of row
        counts and checksums. It runs in the background; this page shows when it is done. Stored in the tenant&apos;s own files
        (tenants/&lt;id&gt;/exports/). Bigger tenants: <code>pnpm studio tenants export {tenant.slug}</code>.
      </p>
      <StartExportForm slug={tenant.slug} />
      {runs.length > 0 && (
        <table data-testid="exports">
          <thead>
            <tr>
              <th>Started</th>
              <th>By</th>
              <th>Status</th>
              <th className="num">Rows</th>
              <th className="num">Size</th>
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.exportId} data-testid={`export-${r.status}`}>
                <td>
                  <When at={r.startedAt} />
                </td>
                <td>{r.startedBy ?? '-'}</td>
                <td>
                  <StatusBadge status={r.status} /> {r.error && <span className="error">{r.error}</span>}
                  {r.status === 'interrupted' && <small> the console restarted before it finished; start it again</small>}
                </td>
                <td className="num">{r.rows?.toLocaleString('en') ?? ''}</td>
                <td className="num">{r.bytes === null ? '' : formatBytes(r.bytes)}</td>
                <td>
                  {r.status === 'done' ? (
                    <>
                      <a href={`/tenants/${tenant.slug}/exports/${r.file}`} data-testid="download">
                        {r.file}
                      </a>{' '}
                      (<a href={`/tenants/${tenant.slug}/exports/${r.file}.manifest.json`}>manifest</a>)
                    </>
                  ) : (
                    <code>{r.file}</code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
