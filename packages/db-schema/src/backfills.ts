/**
 * Backfills: data changes too big for a migration's transaction, run after it with
 * `pnpm studio db backfill <name>`, tenant by tenant, in batches. Each batch runs in its own
 * transaction bound to the tenant (FORCE RLS binds the owner too), so a batch can only touch that
 * tenant's rows and a crash loses at most one batch's work, which the rerun redoes.
 *
 * A batch must be idempotent and find its own remaining work (a WHERE that excludes rows
 * already done): the runner calls it until it changes 0 rows, then records the tenant as done.
 */
import type postgres from 'postgres';

export interface Backfill {
  description: string;
  /** Rows per batch (default 1,000): small enough that a batch holds its locks briefly. */
  batchSize?: number;
  /** Changes at most `limit` rows of the tenant; returns how many it changed (0 ends the tenant). */
  batch(tx: postgres.TransactionSql, job: { tenantId: string; limit: number }): Promise<number>;
}

export const backfills: Record<string, Backfill> = {
  'customer-emails-normalized': {
    description: 'Customer emails trimmed and lower-cased (so the per-tenant unique key catches duplicates); an email whose normalized form is taken stays as it is.',
    async batch(tx, { tenantId, limit }) {
      const result = await tx`
        update customers c set email = lower(trim(c.email))
        where c.tenant_id = ${tenantId} and c.id in (
          -- one row per normalized address, so two spellings of it never collide in one batch
          select distinct on (lower(trim(x.email))) x.id from customers x
          where x.tenant_id = ${tenantId} and x.email <> lower(trim(x.email))
            and not exists (select 1 from customers y where y.tenant_id = x.tenant_id and y.email = lower(trim(x.email)))
          order by lower(trim(x.email)), x.created_at
          limit ${limit})`;
      return result.count;
    },
  },
  'invoice-lines-from-total': {
    description: 'Invoices made before line items (migration 0024) get one line "Invoice total": quantity 1 at their amount_cents, so amount_cents is the sum of their lines like every new invoice.',
    async batch(tx, { tenantId, limit }) {
      const result = await tx`
        insert into invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_amount_cents)
        select i.tenant_id, i.id, 0, 'Invoice total', 1, i.amount_cents from invoices i
        where i.tenant_id = ${tenantId}
          and not exists (select 1 from invoice_lines l where l.tenant_id = i.tenant_id and l.invoice_id = i.id)
        order by i.id
        limit ${limit}`;
      return result.count;
    },
  },
};
