// Issue 21 item 3: on Citus, every statement the scoped client sends for a tenant is a router
// plan (one task, one shard), checked with EXPLAIN as the product role with a valid context; and a
// statement that would fan out is reported with its tables. Runs in the Citus phase only
// (vitest.citus.config.ts with CITUS_URL); skipped elsewhere.
import { tenantContextValue } from '@studio/db-schema/config';
import { customers, invoices } from '@studio/db-schema/schema';
import { CITUS_PROPAGATE_SET_COMMANDS, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { explainRouting } from '@studio/db-schema/testing';
import { desc, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type TenantDb } from '../../src/index';
import { seededDatabase, type SeededDatabase } from '../helpers';

const citus = !!inject('studioCitusDatabase');

describe.skipIf(!citus)('routing on Citus: one shard per scoped statement', () => {
  let seeded: SeededDatabase;
  let db: ReturnType<typeof createDatabase>;
  let acme: TenantDb;
  let app: postgres.Sql;
  let setAcme: string;
  let invoice: { id: string; customerId: string };

  beforeAll(async () => {
    seeded = await seededDatabase();
    db = createDatabase({ url: seeded.testDb.urls.app });
    acme = await db.tenant(seeded.ids.acme);
    app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
    setAcme = setLocalTenantContextSql(tenantContextValue(seeded.ids.acme));
    [invoice] = (await acme.select({ id: invoices.id, customerId: invoices.customerId }).from(invoices).limit(1)) as [{ id: string; customerId: string }];
  });

  afterAll(async () => {
    await app?.end();
    await db?.close();
    await seeded?.close();
  });

  const statements = (): [string, { sql: string; params: unknown[] }][] => [
    ['point read', acme.select().from(invoices).where(eq(invoices.id, invoice.id)).toSQL()],
    ['newest 50', acme.select().from(invoices).orderBy(desc(invoices.createdAt)).limit(50).toSQL()],
    [
      'co-located join',
      acme
        .select({ number: invoices.number, customer: customers.name })
        .from(invoices)
        .innerJoin(customers, eq(customers.id, invoices.customerId))
        .where(eq(invoices.id, invoice.id))
        .toSQL(),
    ],
    ['insert', acme.insert(customers).values({ name: 'Routed Ltd', email: 'routed@acme-client.test' }).toSQL()],
    ['update', acme.update(customers).set({ name: 'Routed Ltd' }).where(eq(customers.id, invoice.customerId)).toSQL()],
    ['delete', acme.delete(customers).where(eq(customers.id, invoice.customerId)).toSQL()],
  ];

  it('routes the point read, newest-N list, co-located join, insert, update and delete to one shard', async () => {
    for (const [label, query] of statements()) {
      const routing = await explainRouting(app, setAcme, query.sql, query.params);
      expect(routing.fanOut, `${label}: ${query.sql}`).toBeNull();
      expect(routing.tasks, `${label}: ${query.sql}`).toBe(1);
    }
  });

  it('reports a statement that would fan out, naming the table (a filter that only RLS applies)', async () => {
    const routing = await explainRouting(app, setAcme, 'select * from invoices where id = $1', [invoice.id]);
    expect(routing.tasks).toBe(32);
    expect(routing.fanOut).toMatch(/^invoices: 32 tasks, one per shard/);
  });
});
