import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../src/schema/index';
import { seedDemo } from '../src/seed';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

// C5 at the database: the app role, with app.tenant_id set transaction-locally, sees and
// touches only its tenant's rows, and fails closed without a valid setting.
let database: TestDatabase;
let app: postgres.Sql;
let acme: string;
let globex: string;
let globexInvoice: { id: string; customerId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.urls.owner);
  app = postgres(database.urls.app, { max: 1, onnotice: () => {} });
  const owner = postgres(database.urls.owner, { max: 1 });
  const tenants = await owner<{ slug: string; id: string }[]>`select slug, id from tenants`;
  acme = tenants.find((t) => t.slug === 'acme')!.id;
  globex = tenants.find((t) => t.slug === 'globex')!.id;
  const rows = await owner.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${globex}, true)`;
    return tx<{ id: string; customerId: string }[]>`select id, customer_id as "customerId" from invoices limit 1`;
  });
  globexInvoice = rows[0]!;
  await owner.end();
});

afterAll(async () => {
  await app?.end();
  await database?.drop();
});

function asTenant<T>(tenantId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return app.begin(async (tx) => {
    if (tenantId !== null) await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

describe('row-level security as the app role', () => {
  it('connects as a role that is not superuser and does not bypass RLS', async () => {
    const [me] = await app`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(me).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('returns only the context tenant invoices', async () => {
    const rows = await asTenant(acme, (tx) => tx<{ tenant_id: string }[]>`select tenant_id from invoices`);
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([acme]));
  });

  it('refuses an insert carrying another tenant id', async () => {
    await expect(
      asTenant(acme, (tx) => tx`
        insert into invoices (tenant_id, customer_id, number, amount_cents)
        values (${globex}, ${globexInvoice.customerId}, 'SNEAK-1', 100)`),
    ).rejects.toThrow(/row-level security/);
  });

  it('updates and deletes of another tenant row by id touch nothing', async () => {
    const updated = await asTenant(acme, (tx) => tx`update invoices set amount_cents = 1 where id = ${globexInvoice.id}`);
    const deleted = await asTenant(acme, (tx) => tx`delete from invoices where id = ${globexInvoice.id}`);
    expect(updated.count).toBe(0);
    expect(deleted.count).toBe(0);
    const still = await asTenant(globex, (tx) => tx`select amount_cents from invoices where id = ${globexInvoice.id}`);
    expect(still).toHaveLength(1);
    expect(still[0]!.amount_cents).not.toBe(1);
  });

  it('an update cannot move a row into another tenant (WITH CHECK)', async () => {
    await expect(
      asTenant(acme, async (tx) => {
        const [fresh] = await tx<{ id: string }[]>`insert into customers (tenant_id, name) values (${acme}, 'Mover') returning id`;
        return tx`update customers set tenant_id = ${globex} where id = ${fresh!.id}`;
      }),
    ).rejects.toThrow(/new row violates row-level security policy/);
  });

  it('gives zero rows with no setting', async () => {
    const rows = await asTenant(null, (tx) => tx`select 1 from invoices`);
    expect(rows).toHaveLength(0);
  });

  it('gives zero rows with an empty setting', async () => {
    const rows = await asTenant('', (tx) => tx`select 1 from invoices`);
    expect(rows).toHaveLength(0);
  });

  it('gives zero rows on a connection where an earlier transaction set the tenant', async () => {
    await asTenant(acme, (tx) => tx`select 1 from invoices`);
    const [setting] = await app`select current_setting('app.tenant_id', true) as value`;
    expect(setting!.value).toBe(''); // what Postgres leaves behind: '' rather than NULL
    const rows = await asTenant(null, (tx) => tx`select 1 from invoices`);
    expect(rows).toHaveLength(0);
  });

  it('fails with a clear error on a malformed setting, never all rows', async () => {
    await expect(asTenant('acme', (tx) => tx`select 1 from invoices`)).rejects.toThrow(/invalid input syntax for type uuid/);
    await expect(asTenant("' or 1=1 --", (tx) => tx`select 1 from customers`)).rejects.toThrow(/invalid input syntax for type uuid/);
  });

  it('binds the table owner too (FORCE)', async () => {
    const owner = postgres(database.urls.owner, { max: 1 });
    try {
      const rows = await owner`select 1 from invoices`;
      expect(rows).toHaveLength(0);
    } finally {
      await owner.end();
    }
  });

  it('works through drizzle the same way', async () => {
    const db = drizzle(app, { schema });
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${globex}, true)`);
      return tx.select().from(schema.invoices).where(eq(schema.invoices.tenantId, acme));
    });
    expect(rows).toHaveLength(0);
  });
});

describe('composite foreign keys (C2)', () => {
  it('refuse an acme invoice that points at a globex customer', async () => {
    await expect(
      asTenant(acme, (tx) => tx`
        insert into invoices (tenant_id, customer_id, number, amount_cents)
        values (${acme}, ${globexInvoice.customerId}, 'CROSS-1', 100)`),
    ).rejects.toThrow(/invoices_customer_fkey/);
  });

  it('accept an acme invoice for an acme customer', async () => {
    const inserted = await asTenant(acme, async (tx) => {
      const [customer] = await tx<{ id: string }[]>`select id from customers limit 1`;
      return tx`insert into invoices (tenant_id, customer_id, number, amount_cents)
                values (${acme}, ${customer!.id}, 'OK-1', 100) returning id`;
    });
    expect(inserted).toHaveLength(1);
  });
});
