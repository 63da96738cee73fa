import { buttonClass, Card, DailyAreaChart, HorizontalBarChart, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { getAdmin, getBreakGlass } from '~/db';
import { listTenants, readActivity } from '~/lib/console';

// The layout's template names the pages below it, not this one (its own segment).
export const metadata = { title: 'Tenants · Studio admin' };

// Reads the database on every request.
export const dynamic = 'force-dynamic';

/** How many tenants the size chart shows. */
const TOP = 10;
const DAYS = 30;

export default async function Tenants() {
  const session = await adminContext('platform-admin', '/');
  const admin = await getAdmin();
  const [tenants, grants, activity] = await Promise.all([listTenants(admin, session), (await getBreakGlass()).activeGrants(session), readActivity(admin, session, DAYS)]);
  const largest = tenants
    .filter((t) => t.placement === 'shared')
    .sort((a, b) => b.totalRows - a.totalRows || a.slug.localeCompare(b.slug))
    .slice(0, TOP);
  const total = (key: 'platform' | 'tenant') => activity.reduce((sum, d) => sum + d.values[key], 0);
  return (
    <Page session={session}>
      <PageHeader
        title="Tenants"
        description="Every tenant with its members and the rows it holds in the shared database (exact counts over every tenant table). Opening this page is recorded in the platform audit trail."
        actions={
          <Link href="/tenants/new" className={buttonClass('primary')} data-testid="new-tenant-link">
            New tenant
          </Link>
        }
      />
      <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <HorizontalBarChart
            data-testid="chart-sizes"
            title={`Largest tenants (top ${TOP})`}
            description={
              largest.length === 0
                ? 'No tenant holds rows in the shared database.'
                : `Rows per tenant in the shared database, largest first: ${largest.map((t) => `${t.name} ${t.totalRows.toLocaleString('en-US')}`).join(', ')}.`
            }
            valueLabel="Rows"
            items={largest.map((t) => ({ label: t.name, value: t.totalRows, note: t.status === 'active' ? undefined : t.status.replace('_', '-') }))}
          />
        </Card>
        <Card>
          <DailyAreaChart
            data-testid="chart-activity"
            title={`Activity, last ${DAYS} days`}
            description={`Events per day (UTC) from ${activity[0]?.day} to ${activity.at(-1)?.day}: ${total('platform').toLocaleString('en-US')} platform events (what the console read and did) and ${total('tenant').toLocaleString('en-US')} events in the tenants' own audit trails.`}
            series={[
              { key: 'tenant', label: "Tenants' audit events" },
              { key: 'platform', label: 'Platform events' },
            ]}
            data={activity}
          />
        </Card>
      </div>
      <Table
        data-testid="tenants"
        caption="Tenants"
        columns={[
          { key: 'tenant', header: 'Tenant' },
          { key: 'status', header: 'Status' },
          { key: 'plan', header: 'Plan' },
          { key: 'placement', header: 'Placement' },
          { key: 'members', header: 'Members', align: 'end' },
          { key: 'rows', header: 'Rows', align: 'end' },
          { key: 'access', header: 'Support access' },
        ]}
        rows={tenants.map((t) => {
          const open = grants.filter((g) => g.tenantId === t.id);
          return {
            key: t.id,
            'data-testid': `tenant-${t.slug}`,
            cells: {
              tenant: (
                <>
                  <Link href={`/tenants/${t.slug}`}>{t.name}</Link> <code>{t.slug}</code>
                </>
              ),
              status: <StatusBadge status={t.status} />,
              plan: t.plan,
              placement: t.placement,
              members: (
                <Link href={`/tenants/${t.slug}/members`} data-testid="members">
                  {t.members}
                </Link>
              ),
              rows: (
                <span data-testid="rows" title={Object.entries(t.rows).map(([table, n]) => `${table}: ${n}`).join('\n')}>
                  {t.placement === 'shared' ? t.totalRows.toLocaleString('en') : <span className="text-muted">in {t.placement}</span>}
                </span>
              ),
              access: open.map((g) => (
                <div key={g.id}>
                  {g.adminEmail} until <When at={g.expiresAt} />
                  {g.allowWrites ? ' (writes)' : ''}
                </div>
              )),
            },
          };
        })}
      />
    </Page>
  );
}
