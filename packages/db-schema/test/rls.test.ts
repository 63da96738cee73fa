import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { tenantContextValue } from '../src/config';
import { DEV_TENANT_CONTEXT_KEY, signTenantContext } from '../src/tenant-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../src/schema/index';
import { seedDemo } from '../src/seed';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

// C5 and C15 at the database: the app role, with a signed app.tenant_context set
// transaction-locally, sees and touches only its tenant's rows, and sees and writes nothing
// without a validly signed one: a setting is not a credential.
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
    await tx`select set_config('app.tenant_context', ${tenantContextValue(globex)}, true)`;
    return tx<{ id: string; customerId: string }[]>`select id, customer_id as "customerId" from invoices limit 1`;
  });
  globexInvoice = rows[0]!;
  await owner.end();
});

afterAll(async () => {
  await app?.end();
  await database?.drop();
});

function withContext<T>(value: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return app.begin(async (tx) => {
    if (value !== null) await tx`select set_config('app.tenant_context', ${value}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

function asTenant<T>(tenantId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return withContext(tenantId === null ? null : tenantContextValue(tenantId), fn);
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
    const rows = await withContext('', (tx) => tx`select 1 from invoices`);
    expect(rows).toHaveLength(0);
  });

  it('gives zero rows on a connection where an earlier transaction set the tenant', async () => {
    await asTenant(acme, (tx) => tx`select 1 from invoices`);
    const [setting] = await app`select current_setting('app.tenant_context', true) as value`;
    expect(setting!.value).toBe(''); // what Postgres leaves behind: '' rather than NULL
    const rows = await asTenant(null, (tx) => tx`select 1 from invoices`);
    expect(rows).toHaveLength(0);
  });

  // Citus propagates SET LOCAL to its workers, not set_config(): the verifier reads either.
  it('takes the signed context from SET LOCAL as from set_config', async () => {
    const rows = await app.begin(async (tx) => {
      await tx.unsafe(`set local app.tenant_context = '${tenantContextValue(acme)}'`);
      return tx<{ tenant_id: string }[]>`select distinct tenant_id from invoices`;
    });
    expect(rows.map((r) => r.tenant_id)).toEqual([acme]);
  });

  it('sees nothing under a context that is not validly signed, however it is forged', async () => {
    const signed = tenantContextValue(acme);
    const [, , , expiry, mac] = signed.split('.');
    const forged = [
      acme, // a bare tenant id
      "' or 1=1 --",
      signed.replace(acme, globex), // another tenant, same signature
      signed.replace(`.${expiry}.`, `.${Number(expiry) + 3600}.`), // a later expiry
      signed.slice(0, -1) + (mac!.endsWith('0') ? '1' : '0'), // one hex digit changed
      signTenantContext('another-key-another-key-another-key', acme, Number(expiry)), // another key
      signTenantContext(DEV_TENANT_CONTEXT_KEY, acme, Math.floor(Date.now() / 1000) - 1), // expired
    ];
    for (const value of forged) {
      expect(await withContext(value, (tx) => tx`select 1 from invoices`), value).toHaveLength(0);
      await expect(
        withContext(value, (tx) => tx`insert into customers (tenant_id, name) values (${acme}, 'forged')`),
        value,
      ).rejects.toMatchObject({ code: '42501' });
    }
    // The setting the policies trusted before C15 is now just a string.
    expect(await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${acme}, true)`;
      return tx`select 1 from invoices`;
    })).toHaveLength(0);
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
      await tx.execute(sql`select set_config('app.tenant_context', ${tenantContextValue(globex)}, true)`);
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
