/**
 * Invoice line items (issue 23 item 6) on a real Postgres: an invoice is created with its lines and
 * the total they come to, in one transaction; another tenant can neither read the lines nor attach
 * one to the invoice, through the scoped client, through raw SQL as the product role under RLS,
 * or through the composite foreign key; the API's body reads lines, or the old single amount.
 */
import { randomUUID } from 'node:crypto';
import { auditEvents, invoiceLines, invoices } from '@studio/db-schema/schema';
import { tenantContextKey } from '@studio/db-schema/config';
import { backfills } from '@studio/db-schema/backfills';
import { seedDemo } from '@studio/db-schema/seed';
import { setLocalTenantContextSql, TenantContextSigner } from '@studio/db-schema/tenant-context';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, TenantScopeError, type Database } from '@studio/tenancy';
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { createInvoiceWithLines, findInvoiceLines, updateInvoiceWithLines } = await import('../src/lib/invoices');
const { invoiceApiBody } = await import('../src/lib/schemas');

let testDb: TestDatabase;
let db: Database;
let app: postgres.Sql;
let owner: postgres.Sql;
let ids: Record<string, string>;
const signer = new TenantContextSigner(tenantContextKey());

const pgCodeOf = (e: unknown) => {
  const error = e as { code?: string; cause?: { code?: string } };
  return error.code ?? error.cause?.code;
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  app = postgres(testDb.urls.app, { max: 1, onnotice: () => {} });
  owner = postgres(testDb.urls.owner, { max: 1, onnotice: () => {} });
  const tenants = await db.platform.listTenants();
  ids = Object.fromEntries(tenants.map((t) => [t.slug, t.id]));
}, 60_000);

afterAll(async () => {
  await app?.end();
  await owner?.end();
  await db?.close();
  await testDb?.drop();
});

/** A customer of the tenant, and fields for a new invoice of theirs. */
async function fields(slug: string, number: string) {
  const tdb = await db.tenant(ids[slug]!);
  const [customer] = await tdb.execute<{ id: string }>(sql`select id from customers where tenant_id = ${ids[slug]} limit 1`);
  return { tdb, fields: { customerId: customer!.id, number, amountCents: 0, currency: 'EUR', status: 'sent' as const } };
}

const LINES = [
  { description: 'Design', quantity: 3, unitAmountCents: 10_000 },
  { description: 'Hosting', quantity: 12, unitAmountCents: 999 },
];

describe('creating an invoice with lines', () => {
  it('stores the lines in order and the total they come to, with one audit row', async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-1');
    const id = randomUUID();
    await createInvoiceWithLines(tdb, id, { ...base, amountCents: 41_988 }, LINES);
    const [invoice] = await tdb.select({ amountCents: invoices.amountCents }).from(invoices).where(eq(invoices.id, id));
    expect(invoice!.amountCents).toBe(41_988);
    const stored = await tdb
      .select({ position: invoiceLines.position, description: invoiceLines.description, quantity: invoiceLines.quantity, unitAmountCents: invoiceLines.unitAmountCents })
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, id))
      .orderBy(invoiceLines.position);
    expect(stored).toEqual(LINES.map((line, position) => ({ position, ...line })));
    expect(await findInvoiceLines(tdb, { id, amountCents: 41_988 })).toEqual(LINES);
    const events = await tdb.select({ action: auditEvents.action, payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.target, id));
    expect(events).toEqual([{ action: 'invoice.create', payload: { number: 'LINES-1', amountCents: 41_988, lines: 2 } }]);
  });

  it('writes nothing when a line is refused: the invoice and its lines are one transaction', async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-ATOMIC');
    const id = randomUUID();
    // Past the form's checks, Postgres' own: quantity > 0.
    const error = await createInvoiceWithLines(tdb, id, { ...base, amountCents: 100 }, [{ description: 'Bad', quantity: 0, unitAmountCents: 100 }]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(pgCodeOf(error)).toBe('23514');
    expect(await tdb.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, id))).toEqual([]);
    expect(await tdb.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.target, id))).toEqual([]);
  });

  it("answers a number in use and another tenant's customer with Postgres' code on the error itself (what the action and the API read)", async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-1');
    const taken = await createInvoiceWithLines(tdb, randomUUID(), { ...base, amountCents: 100 }, [{ description: 'A', quantity: 1, unitAmountCents: 100 }]).then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    expect(taken?.code).toBe('23505');
    const { fields: theirs } = await fields('globex', 'LINES-THEIRS');
    const foreign = await createInvoiceWithLines(tdb, randomUUID(), { ...base, customerId: theirs.customerId, number: 'LINES-X', amountCents: 100 }, [
      { description: 'A', quantity: 1, unitAmountCents: 100 },
    ]).then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    expect(foreign?.code).toBe('23503');
  });

  it('replaces the lines and the total on update', async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-2');
    const id = randomUUID();
    await createInvoiceWithLines(tdb, id, { ...base, amountCents: 41_988 }, LINES);
    expect(await updateInvoiceWithLines(tdb, id, { ...base, amountCents: 500 }, [{ description: 'Only', quantity: 5, unitAmountCents: 100 }])).toBe(true);
    expect(await findInvoiceLines(tdb, { id, amountCents: 500 })).toEqual([{ description: 'Only', quantity: 5, unitAmountCents: 100 }]);
    const globex = await db.tenant(ids.globex!);
    expect(await updateInvoiceWithLines(globex, id, { ...base, amountCents: 1 }, [{ description: 'Theirs', quantity: 1, unitAmountCents: 1 }])).toBe(false);
    expect(await findInvoiceLines(tdb, { id, amountCents: 500 })).toEqual([{ description: 'Only', quantity: 5, unitAmountCents: 100 }]);
  });

  it('reads an invoice without lines (made before them) as one line of its total, until the backfill gives it that line', async () => {
    const { tdb, fields: base } = await fields('initech', 'LEGACY-1');
    const id = randomUUID();
    await tdb.insert(invoices).values({ id, ...base, amountCents: 12_345 });
    expect(await findInvoiceLines(tdb, { id, amountCents: 12_345 })).toEqual([{ description: 'Invoice total', quantity: 1, unitAmountCents: 12_345 }]);
    // The backfill, as `pnpm studio db backfill` runs a batch: as the owner, bound to the tenant.
    const backfill = backfills['invoice-lines-from-total']!;
    const run = () =>
      owner.begin(async (tx) => {
        await tx.unsafe(setLocalTenantContextSql(signer.sign(ids.initech!)));
        return backfill.batch(tx, { tenantId: ids.initech!, limit: 1000 });
      });
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    const stored = await tdb.select({ description: invoiceLines.description, quantity: invoiceLines.quantity, unitAmountCents: invoiceLines.unitAmountCents }).from(invoiceLines).where(eq(invoiceLines.invoiceId, id));
    expect(stored).toEqual([{ description: 'Invoice total', quantity: 1, unitAmountCents: 12_345 }]);
  });
});

describe("another tenant cannot read or attach an invoice's lines", () => {
  let acmeInvoice: string;

  beforeAll(async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-ISO');
    acmeInvoice = randomUUID();
    await createInvoiceWithLines(tdb, acmeInvoice, { ...base, amountCents: 41_988 }, LINES);
  });

  it('through the scoped client: no rows by invoice id, and no line attached (composite foreign key, C2)', async () => {
    const globex = await db.tenant(ids.globex!);
    expect(await globex.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, acmeInvoice))).toEqual([]);
    const error = await globex
      .insert(invoiceLines)
      .values({ invoiceId: acmeInvoice, position: 9, description: 'Planted', quantity: 1, unitAmountCents: 1 })
      .then(() => null, (e: unknown) => e);
    expect(pgCodeOf(error)).toBe('23503');
    // And nothing changes on delete either.
    expect(await globex.delete(invoiceLines).where(eq(invoiceLines.invoiceId, acmeInvoice)).returning({ id: invoiceLines.id })).toEqual([]);
    const acme = await db.tenant(ids.acme!);
    expect(await acme.select({ id: invoiceLines.id }).from(invoiceLines).where(eq(invoiceLines.invoiceId, acmeInvoice))).toHaveLength(2);
  });

  it('the guard refuses raw SQL on invoice_lines without the tenant filter', async () => {
    const globex = await db.tenant(ids.globex!);
    await expect(globex.execute(sql`select count(*) from invoice_lines`)).rejects.toBeInstanceOf(TenantScopeError);
  });

  it('through raw SQL as the product role: RLS shows nothing without a context, nothing of acme with globex\'s, and refuses a write into acme', async () => {
    const [role] = await app<{ su: boolean; bypass: boolean }[]>`select rolsuper as su, rolbypassrls as bypass from pg_roles where rolname = current_user`;
    expect(role).toEqual({ su: false, bypass: false });
    const [none] = await app<{ n: number }[]>`select count(*)::int as n from invoice_lines`;
    expect(none!.n).toBe(0);
    const asGlobex = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) =>
      app.begin(async (tx) => {
        await tx.unsafe(setLocalTenantContextSql(signer.sign(ids.globex!)));
        return fn(tx);
      });
    const seen = await asGlobex((tx) => tx<{ n: number; acme: number }[]>`
      select count(*)::int as n, count(*) filter (where tenant_id = ${ids.acme!})::int as acme from invoice_lines`);
    expect(seen[0]!.n).toBeGreaterThan(0);
    expect(seen[0]!.acme).toBe(0);
    const byId = await asGlobex((tx) => tx`select * from invoice_lines where invoice_id = ${acmeInvoice}`);
    expect(byId).toHaveLength(0);
    const write = await asGlobex((tx) => tx`
      insert into invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_amount_cents)
      values (${ids.acme!}, ${acmeInvoice}, 9, 'Planted', 1, 1)`).then(() => null, (e: unknown) => e);
    expect(pgCodeOf(write)).toBe('42501');
    // Globex's own tenant_id pointing at acme's invoice: the composite foreign key refuses it.
    const attach = await asGlobex((tx) => tx`
      insert into invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_amount_cents)
      values (${ids.globex!}, ${acmeInvoice}, 9, 'Planted', 1, 1)`).then(() => null, (e: unknown) => e);
    expect(pgCodeOf(attach)).toBe('23503');
    const updated = await asGlobex((tx) => tx`update invoice_lines set unit_amount_cents = 0 where invoice_id = ${acmeInvoice}`);
    expect(updated.count).toBe(0);
    const acme = await db.tenant(ids.acme!);
    const still = await acme.select({ unit: invoiceLines.unitAmountCents }).from(invoiceLines).where(and(eq(invoiceLines.invoiceId, acmeInvoice), eq(invoiceLines.position, 0)));
    expect(still).toEqual([{ unit: 10_000 }]);
  });

  it('deleting the invoice deletes its lines (on delete cascade)', async () => {
    const { tdb, fields: base } = await fields('acme', 'LINES-CASCADE');
    const id = randomUUID();
    await createInvoiceWithLines(tdb, id, { ...base, amountCents: 41_988 }, LINES);
    await tdb.delete(invoices).where(eq(invoices.id, id));
    expect(await tdb.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id))).toEqual([]);
  });
});

describe("the API's body (POST /api/v1/invoices)", () => {
  const CUSTOMER = '0b0f7c52-8a35-4c44-9d5e-3f0c2a1b9e11';

  it('reads lines and totals them on the server', () => {
    const body = invoiceApiBody.safeParse({ customerId: CUSTOMER, number: 'A-1', lines: LINES });
    expect(body.success && body.data).toEqual({
      fields: { customerId: CUSTOMER, number: 'A-1', amountCents: 41_988, currency: 'USD', status: 'draft' },
      lines: LINES,
    });
  });

  it('still reads the single amountCents of before line items, as one line', () => {
    const body = invoiceApiBody.safeParse({ customerId: CUSTOMER, number: 'A-1', amountCents: 1200 });
    expect(body.success && body.data.lines).toEqual([{ description: 'Invoice total', quantity: 1, unitAmountCents: 1200 }]);
    expect(body.success && body.data.fields.amountCents).toBe(1200);
  });

  it('refuses both or neither, bad lines, a total over the cap, and a total sent by the client', () => {
    const refused = (json: unknown) => {
      const body = invoiceApiBody.safeParse(json);
      return body.success ? null : body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: LINES, amountCents: 1 })).toContain('either lines');
    expect(refused({ customerId: CUSTOMER, number: 'A' })).toContain('either lines');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [] })).toContain('at least one line');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: Array.from({ length: 51 }, () => LINES[0]) })).toContain('at most 50 lines');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: '', quantity: 1, unitAmountCents: 1 }] })).toContain('lines.0.description');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 0, unitAmountCents: 1 }] })).toContain('quantity is at least 1');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 1.5, unitAmountCents: 1 }] })).toContain('whole number');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 1, unitAmountCents: -1 }] })).toContain('cannot be negative');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 1, unitAmountCents: '1' }] })).toContain('whole number of cents');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 3, unitAmountCents: 1_000_000_000 }] })).toContain('total of lines');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: [{ description: 'x', quantity: 1, unitAmountCents: 1, amountCents: 5 }] })).toContain('amountCents');
    expect(refused({ customerId: CUSTOMER, number: 'A', lines: LINES, total: 5 })).toContain('total');
  });
});
