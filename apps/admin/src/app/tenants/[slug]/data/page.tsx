import { customers, invoices, lessonPlans } from '@studio/db-schema/schema';
import { TenancyError } from '@studio/tenancy';
import { and, count, desc, eq } from 'drizzle-orm';
import { Notice, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { EndAccessForm, InvoiceStatusForm } from '~/components/forms';
import { getAdmin, getBreakGlass } from '~/db';
import { findTenant, slugParam } from '~/lib/console';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: `Data · ${slug}` };
}

export const dynamic = 'force-dynamic';

const VIEWING = 'invoices, customers and lesson plans (newest 20 of each)';

/**
 * A tenant's own data under break-glass: through the tenant's scoped client (the app role, RLS and
 * the guard as in any product), read-only unless the grant allows writes. Each view is recorded
 * in the tenant's audit trail. Without an active grant: 403 (forbidden.tsx beside this page).
 */
export default async function TenantData({ params }: { params: Promise<{ slug: string }> }) {
  const { slug: raw } = await params;
  const session = await adminContext('platform-admin', `/tenants/${raw}/data`);
  const slug = slugParam(raw);
  if (!slug) notFound();
  const tenant = await findTenant(await getAdmin(), slug);
  if (!tenant) notFound();
  let access;
  try {
    access = await (await getBreakGlass()).open(session, tenant.id, { viewing: VIEWING });
  } catch (error) {
    // No active grant, or the tenant was suspended since: its data stays closed.
    if (TenancyError.is(error) && (error.code === 'BREAK_GLASS_REQUIRED' || error.code === 'TENANT_SUSPENDED')) forbidden();
    throw error;
  }
  const { grant, tdb } = access;
  const [invoiceRows, customerRows, lessonRows, [totals]] = await Promise.all([
    tdb
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency, customer: customers.name })
      .from(invoices)
      .innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
      .orderBy(desc(invoices.createdAt), desc(invoices.number))
      .limit(20),
    tdb.select({ id: customers.id, name: customers.name, email: customers.email }).from(customers).orderBy(desc(customers.createdAt)).limit(20),
    tdb.select({ id: lessonPlans.id, title: lessonPlans.title, subject: lessonPlans.subject, shared: lessonPlans.shared }).from(lessonPlans).orderBy(desc(lessonPlans.createdAt)).limit(20),
    tdb.select({ invoices: count() }).from(invoices),
  ]);
  return (
    <Page session={session}>
      <p className="mb-2 text-sm">
        <Link href={`/tenants/${tenant.slug}`}>← {tenant.name}</Link>
      </p>
      <PageHeader title={`${tenant.name}: support view`} />
      <Notice tone={grant.allowWrites ? 'danger' : 'warn'} role="status" data-testid="grant-banner">
        <p>
          <strong data-testid="grant-mode">{grant.allowWrites ? 'Writes allowed' : 'Read-only'}</strong> support access as {grant.adminEmail}, until{' '}
          <When at={grant.expiresAt} />. Reason: “{grant.reason}”. {tenant.name}&apos;s members see a banner naming you while it lasts, and each view is
          recorded in its audit trail.
        </p>
        <EndAccessForm slug={tenant.slug} />
      </Notice>

      <h2>Invoices ({totals?.invoices ?? 0})</h2>
      <Table
        data-testid="tenant-invoices"
        caption={`Invoices of ${tenant.name}`}
        columns={[
          { key: 'number', header: 'Number' },
          { key: 'customer', header: 'Customer' },
          { key: 'status', header: 'Status' },
          { key: 'amount', header: 'Amount', align: 'end' },
        ]}
        rows={invoiceRows.map((row) => ({
          key: row.id,
          cells: {
            number: row.number,
            customer: row.customer,
            status: grant.allowWrites ? <InvoiceStatusForm slug={tenant.slug} invoiceId={row.id} status={row.status} /> : <StatusBadge status={row.status} />,
            amount: `${(row.amountCents / 100).toFixed(2)} ${row.currency}`,
          },
        }))}
      />

      <h2 className="mt-6">Customers</h2>
      <Table
        data-testid="tenant-customers"
        caption={`Customers of ${tenant.name}`}
        columns={[
          { key: 'name', header: 'Name' },
          { key: 'email', header: 'Email' },
        ]}
        rows={customerRows.map((row) => ({ key: row.id, cells: { name: row.name, email: row.email } }))}
      />

      <h2 className="mt-6">Lesson plans</h2>
      <Table
        data-testid="tenant-lessons"
        caption={`Lesson plans of ${tenant.name}`}
        empty={<p className="text-muted">None.</p>}
        columns={[
          { key: 'title', header: 'Title' },
          { key: 'subject', header: 'Subject' },
          { key: 'shared', header: 'Shared' },
        ]}
        rows={lessonRows.map((row) => ({ key: row.id, cells: { title: row.title, subject: row.subject, shared: row.shared ? 'shared' : 'private' } }))}
      />
    </Page>
  );
}
