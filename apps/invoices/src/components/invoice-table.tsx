import { StatusBadge, Table } from '@studio/ui/components';
import { formatMoney } from '@studio/ui/format';
import Link from 'next/link';
import type { ReactNode } from 'react';

export interface InvoiceTableRow {
  id: string;
  number: string;
  status: string;
  amountCents: number;
  currency: string;
  /** The customer's name; the column is shown when the rows have one. */
  customer?: string;
}

/**
 * Invoices as a table (the dashboard's latest, the list's page): the number linking to the
 * invoice, the customer when known, the status as a badge, the amount in the tenant's locale.
 * Below 640 px each row is a card, each value under its column's name (the design system's Table).
 */
export function InvoiceTable({ caption, rows, locale, empty, withCustomer = false }: { caption: string; rows: readonly InvoiceTableRow[]; locale: string; empty: ReactNode; withCustomer?: boolean }) {
  return (
    <Table
      caption={caption}
      data-testid="invoices"
      columns={[
        { key: 'number', header: 'Number' },
        ...(withCustomer ? [{ key: 'customer', header: 'Customer' }] : []),
        { key: 'status', header: 'Status' },
        { key: 'amount', header: 'Amount', align: 'end' as const },
      ]}
      rows={rows.map((row) => ({
        key: row.id,
        cells: {
          number: (
            <Link href={`/invoices/${row.id}`} prefetch={false}>
              {row.number}
            </Link>
          ),
          customer: row.customer ?? '',
          status: <StatusBadge status={row.status} />,
          amount: <span data-testid="invoice-row-amount">{formatMoney(row.amountCents, row.currency, locale)}</span>,
        },
      }))}
      empty={empty}
    />
  );
}
