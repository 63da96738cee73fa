/** `db.tenant(id, { readOnly: true })`: a client that refuses writes while the tenant itself stays active. */
import { customers, invoices } from '@studio/db-schema/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, AuditEventError } from '../src/audit';
import { createDatabase, TenantReadOnlyError, type Database } from '../src/index';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;

beforeAll(async () => {
  seeded = await seededDatabase();
  // current_setting: to look at the transaction's read-only mode (the guard refuses it to products).
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false }, allowFunctions: ['current_setting'] });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

describe('a read-only scoped client of an active tenant', () => {
  it('reads, and refuses every write before sending it', async () => {
    const voided = async () =>
      (await seeded.su<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${seeded.ids.globex} and status = 'void'`)[0]!.n;
    const before = await voided();
    const globex = await db.tenant(seeded.ids.globex, { readOnly: true });
    expect(globex.tenant.status).toBe('active');
    expect(await globex.select().from(invoices)).toHaveLength(25);
    await expect(globex.insert(customers).values({ name: 'No' })).rejects.toBeInstanceOf(TenantReadOnlyError);
    await expect(globex.update(invoices).set({ status: 'void' }).where(sql`true`)).rejects.toBeInstanceOf(TenantReadOnlyError);
    await expect(globex.delete(customers).where(sql`true`)).rejects.toMatchObject({ code: 'TENANT_READ_ONLY' });
    await expect(globex.audited({ action: 'invoice.void' }).update(invoices).set({ status: 'void' }).where(sql`true`)).rejects.toBeInstanceOf(TenantReadOnlyError);
    await expect(audit(globex, { action: 'customer.create' })).rejects.toBeInstanceOf(AuditEventError);
    // Postgres enforces it too, single statements and transactions alike.
    const [single] = await globex.execute<{ ro: string }>(sql`select current_setting('transaction_read_only') as ro`);
    expect(single!.ro).toBe('on');
    const inTx = await globex.transaction(async (tx) => {
      await expect(tx.insert(customers).values({ name: 'No' })).rejects.toBeInstanceOf(TenantReadOnlyError);
      return tx.execute<{ ro: string }>(sql`select current_setting('transaction_read_only') as ro`);
    });
    expect(inTx[0]!.ro).toBe('on');
    expect(await voided()).toBe(before);
  });

  it('leaves other clients of the same tenant writable', async () => {
    await db.tenant(seeded.ids.globex, { readOnly: true });
    const writer = await db.tenant(seeded.ids.globex);
    const [row] = await writer.insert(customers).values({ name: 'Still writable' }).returning({ id: customers.id });
    expect(row!.id).toBeTruthy();
    await writer.delete(customers).where(sql`${customers.id} = ${row!.id}`);
  });
});
