import { BREAK_GLASS_MINUTES, DEFAULT_BREAK_GLASS_MINUTES } from '@studio/platform';
import { Card, CardGrid, KpiCard, Notice, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { BreakGlassForm, EndAccessForm, InviteOwnerForm, LocaleForm, StatusForm } from '~/components/forms';
import { getAdmin, getBreakGlass } from '~/db';
import { getTenant, localeChoices, slugParam } from '~/lib/console';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: slug };
}

export const dynamic = 'force-dynamic';

export default async function TenantPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug: raw } = await params;
  const session = await adminContext('platform-admin', `/tenants/${raw}`);
  const slug = slugParam(raw);
  if (!slug) notFound();
  const tenant = await getTenant(await getAdmin(), session, slug);
  if (!tenant) notFound();
  const breakGlass = await getBreakGlass();
  const [mine, grants] = await Promise.all([breakGlass.active(session, tenant.id), breakGlass.activeGrants(session, tenant.id)]);
  const others = grants.filter((g) => g.id !== mine?.id);
  return (
    <Page session={session}>
      <p className="mb-2 text-sm">
        <Link href="/">← Tenants</Link>
      </p>
      <PageHeader
        title={
          <span data-testid="tenant-name" className="inline-flex flex-wrap items-center gap-2">
            {tenant.name} <StatusBadge status={tenant.status} />
          </span>
        }
        description={
          <>
            <code>{tenant.slug}</code> · id <code>{tenant.id}</code> · created <When at={tenant.createdAt} />
            {tenant.statusReason && <> · Reason: {tenant.statusReason}</>}
          </>
        }
      />
      <nav aria-label="This tenant" className="mb-6 flex flex-wrap gap-4 text-sm">
        <Link href={`/tenants/${tenant.slug}/members`} data-testid="members-link">
          Members ({tenant.members})
        </Link>
        <Link href={`/audit?tenant=${tenant.slug}`} data-testid="audit-link">
          Audit trail
        </Link>
        <Link href={`/tenants/${tenant.slug}/exports`} data-testid="exports-link">
          Exports
        </Link>
      </nav>
      <CardGrid className="mb-6">
        <KpiCard label="Members" value={tenant.members} hint={tenant.owners === 0 ? 'no owner yet' : `${tenant.owners} owner${tenant.owners > 1 ? 's' : ''}`} />
        <KpiCard label="Rows in tenant tables" value={tenant.placement === 'shared' ? tenant.totalRows.toLocaleString('en') : '-'} />
        <KpiCard label="Plan" value={tenant.plan} />
        <KpiCard label="Database" value={tenant.placement} />
      </CardGrid>

      {tenant.owners === 0 && (
        <Card title="Owner" className="mb-6" data-testid="no-owner">
          <p>
            {tenant.name} has no owner{tenant.members === 0 ? ' (no member at all)' : ''}: nobody can invite people to it until someone accepts an owner
            invitation.
          </p>
          {tenant.pendingOwner && (
            <p className="text-sm text-muted" data-testid="pending-owner">
              Invitation pending to <strong>{tenant.pendingOwner.email}</strong>, sent by {tenant.pendingOwner.invitedBy ?? 'a former admin'} on{' '}
              <When at={tenant.pendingOwner.createdAt} />, valid until <When at={tenant.pendingOwner.expiresAt} />. Its link was shown once, when it was sent.
            </p>
          )}
          {tenant.status === 'active' ? (
            <InviteOwnerForm slug={tenant.slug} again={tenant.pendingOwner !== null} />
          ) : (
            <p className="text-sm text-muted">Reactivate it first: an invitee could not open a {tenant.status === 'suspended' ? 'suspended' : 'read-only'} tenant.</p>
          )}
        </Card>
      )}

      <Card title="Support access (break-glass)" className="mb-6">
        {mine ? (
          <Notice tone={mine.allowWrites ? 'danger' : 'warn'} data-testid="active-grant">
            <p>
              You have {mine.allowWrites ? 'read and write' : 'read-only'} access until <When at={mine.expiresAt} />. Reason: “{mine.reason}”.
            </p>
            <p>
              <Link href={`/tenants/${tenant.slug}/data`} data-testid="open-data">
                Open {tenant.name}&apos;s data
              </Link>
            </p>
            <EndAccessForm slug={tenant.slug} />
          </Notice>
        ) : tenant.status === 'active' ? (
          <>
            <p className="text-sm text-muted">
              To look at {tenant.name}&apos;s own data (invoices, customers, lesson plans), give a reason. While the access lasts, every member of{' '}
              {tenant.name} sees a banner in the product apps naming you (name and address), with your reason and when it ends; its owners and
              admins also find the access, and each page you open under it, in their audit trail. It ends by itself.
            </p>
            <BreakGlassForm slug={tenant.slug} minutes={BREAK_GLASS_MINUTES} defaultMinutes={DEFAULT_BREAK_GLASS_MINUTES} />
          </>
        ) : (
          <p className="text-sm text-muted">Support access opens for active tenants only.</p>
        )}
        {others.length > 0 && (
          <p className="text-sm text-muted">
            Also open:{' '}
            {others.map((g) => (
              <span key={g.id}>
                {g.adminEmail} until <When at={g.expiresAt} />{' '}
              </span>
            ))}
          </p>
        )}
      </Card>

      <Card title="Rows per table" className="mb-6">
        {tenant.placement === 'shared' ? (
          <Table
            data-testid="sizes"
            caption={`Rows per table of ${tenant.name}`}
            columns={[
              { key: 'table', header: 'Table' },
              { key: 'rows', header: 'Rows', align: 'end' },
            ]}
            rows={Object.entries(tenant.rows).map(([table, n]) => ({ key: table, cells: { table: <code>{table}</code>, rows: n.toLocaleString('en') } }))}
          />
        ) : (
          <p className="text-sm text-muted">Its rows live in the {tenant.placement} database; the console counts the shared database only.</p>
        )}
      </Card>

      <Card title="Language" className="mb-6">
        <p className="text-sm text-muted">
          How {tenant.name}&apos;s products write and read amounts and dates: on its pages, in the forms (a decimal comma where the language uses one) and
          in its invoice PDFs. Currencies stay each invoice&apos;s own.
        </p>
        <LocaleForm slug={tenant.slug} current={tenant.locale} options={localeChoices(tenant.locale)} />
      </Card>

      <Card title="Status" className="mb-6">
        <StatusForm slug={tenant.slug} status={tenant.status} />
      </Card>
    </Page>
  );
}
