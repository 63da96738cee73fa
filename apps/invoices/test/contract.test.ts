/**
 * The contract, for the invoices product: every attack of the leak kit on its own tables,
 * and what its own tables add: an invoice cannot point at another tenant's customer, and its
 * API's query shapes stay tenant-scoped.
 */
import { customers, invoices } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, TenantScopeError, type Database } from '@studio/tenancy';
import { describeTenantIsolation } from '@studio/tenancy/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let testDb: TestDatabase;
let db: Database;
let ids: Record<string, string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  ids = Object.fromEntries(tenants.map((t) => [t.slug, t.id]));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('invoices keep tenants apart', () => {
  it("an invoice cannot point at another tenant's customer (composite foreign key, C2)", async () => {
    const acme = await db.tenant(ids.acme!);
    const globex = await db.tenant(ids.globex!);
    const [theirs] = await globex.select({ id: customers.id }).from(customers).limit(1);
    const error = await acme
      .insert(invoices)
      .values({ customerId: theirs!.id, number: 'X-1', amountCents: 100 })
      .then(() => null, (e: unknown) => e as { code?: string; cause?: { code?: string } });
    expect(error?.code ?? error?.cause?.code).toBe('23503');
  });

  it("one tenant's invoices are invisible to another, by id too", async () => {
    const acme = await db.tenant(ids.acme!);
    const globex = await db.tenant(ids.globex!);
    const [mine] = await acme.select({ id: invoices.id }).from(invoices).limit(1);
    expect(await globex.select().from(invoices).where(eq(invoices.id, mine!.id))).toEqual([]);
  });

  it('the guard refuses raw SQL on invoices without the tenant filter', async () => {
    const acme = await db.tenant(ids.acme!);
    await expect(acme.execute(sql`select count(*) from invoices`)).rejects.toBeInstanceOf(TenantScopeError);
  });
});

// The leak test kit on this product's own tables: every attack of the matrix on customers,
// invoices and invoice_lines. The tenancy package runs it on the whole schema and on the platform, once for all products.
describeTenantIsolation(() => ({ ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app }), { tables: ['customers', 'invoices', 'invoice_lines'], platform: false });
