/**
 * The tenant's "newest first" list must stay an index range scan on (tenant_id, created_at),
 * whether the tenant has a few hundred rows or a hundred times the average: on a skewed
 * dataset, as the app role under RLS, neither plan may fall back to a sequential scan.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TENANTS = 200;
const TOTAL_INVOICES = 100_000;
const WHALE_FACTOR = 100;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

let testDb: TestDatabase;
let su: postgres.Sql;
let app: postgres.Sql;
let whale: string;
let smallest: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // The superuser bypasses RLS (FORCE binds the owner too), so it writes every tenant's rows.
  su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  app = postgres(testDb.urls.app, { max: 1, onnotice: () => {} });

  const othersAverage = TOTAL_INVOICES / (TENANTS - 1 + WHALE_FACTOR);
  const whaleRows = Math.round(othersAverage * WHALE_FACTOR);
  // Tenant i (2..200) gets between 0.5x and 1.5x the others' average; tenant 1 is the whale.
  const counts = Array.from({ length: TENANTS }, (_, i) =>
    i === 0 ? whaleRows : Math.round(othersAverage * (0.5 + ((i * 37) % 100) / 100)),
  );

  await su`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
  const tenants = await su<{ id: string }[]>`
    insert into tenants (slug, name)
    select 'skew-' || lpad(i::text, 3, '0'), 'Skew ' || i from generate_series(1, ${TENANTS}::int) i
    order by i
    returning id`;
  const ids = tenants.map((t) => t.id);
  await su`
    insert into customers (tenant_id, id, name)
    select t.id, md5(t.id::text)::uuid, 'Customer' from unnest(${ids}::uuid[]) as t(id)`;
  // Every tenant's rows spread over the same year and inserted in time order, so they interleave on disk.
  await su`
    insert into invoices (tenant_id, customer_id, number, amount_cents, created_at)
    select t.id, md5(t.id::text)::uuid, 'INV-' || g, g, c.at
    from unnest(${ids}::uuid[], ${counts}::int[]) as t(id, n)
    cross join lateral generate_series(1, t.n) g
    cross join lateral (select now() - interval '365 days' * ((t.n - g) + random()) / t.n as at) c
    order by c.at`;
  await su`analyze tenants`;
  await su`analyze customers`;
  await su`analyze invoices`;

  whale = ids[0]!;
  smallest = ids[counts.indexOf(Math.min(...counts))]!;
}, 60_000);

afterAll(async () => {
  await app?.end();
  await su?.end();
  await testDb?.drop();
});

/** The plan Postgres picks for the app role's newest-50 list of `tenantId`, under RLS. */
async function newestPlan(tenantId: string): Promise<PlanNode> {
  return app.begin(async (tx) => {
    await tx`select set_config('app.tenant_context', ${tenantContextValue(tenantId)}, true)`;
    const [row] = await tx.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
      'explain (format json) select * from invoices where tenant_id = $1 order by created_at desc limit 50',
      [tenantId],
    );
    return row!['QUERY PLAN'][0].Plan;
  }) as Promise<PlanNode>;
}

describe('newest invoices of a tenant on a skewed dataset', () => {
  it('the dataset is skewed', async () => {
    const [row] = await su<{ whale: number; smallest: number; total: number }[]>`
      select count(*) filter (where tenant_id = ${whale})::int as whale,
             count(*) filter (where tenant_id = ${smallest})::int as smallest,
             count(*)::int as total
      from invoices`;
    expect(row!.total).toBeGreaterThan(90_000);
    expect(row!.whale).toBeGreaterThan(50 * row!.smallest);
  });

  it.each([
    ['the smallest tenant', () => smallest],
    ['the whale (100x the average)', () => whale],
  ])('%s: an index scan on invoices_tenant_created_idx, no sequential scan', async (_name, tenant) => {
    const plan = await newestPlan(tenant());
    const text = JSON.stringify(plan);
    expect(text).toContain('"Index Name":"invoices_tenant_created_idx"');
    const onInvoices = nodes(plan).filter((n) => n['Relation Name'] === 'invoices');
    expect(onInvoices.length).toBeGreaterThan(0);
    expect(onInvoices.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(onInvoices.every((n) => n['Index Name'] === 'invoices_tenant_created_idx')).toBe(true);
  });
});
