'use client';

import { Button } from '@studio/ui/components';
import { formatAmount, parseMoney } from '@studio/ui/format';
import { useState } from 'react';
import type { FormState } from '~/lib/forms';
import { lineAmountCents, lineFieldName, MAX_INVOICE_LINES, parseQuantity, type LineField } from '~/lib/lines';

/** A line as the form shows it: what was typed. */
export interface LineValues {
  description: string;
  quantity: string;
  unitPrice: string;
}

interface Row extends LineValues {
  key: number;
}

const EMPTY: LineValues = { description: '', quantity: '1', unitPrice: '' };

/** The lines a refused submit sent back (`lines.<i>.<field>` in state.values), else `initial`, else one empty line. */
function rowsFrom(values: Record<string, string | undefined> | undefined, initial: readonly LineValues[] | undefined, next: () => number): Row[] {
  const typed: LineValues[] = [];
  if (values) {
    for (let i = 0; i < MAX_INVOICE_LINES; i++) {
      const line = {
        description: values[lineFieldName(i, 'description')],
        quantity: values[lineFieldName(i, 'quantity')],
        unitPrice: values[lineFieldName(i, 'unitPrice')],
      };
      if (line.description === undefined && line.quantity === undefined && line.unitPrice === undefined) break;
      typed.push({ description: line.description ?? '', quantity: line.quantity ?? '', unitPrice: line.unitPrice ?? '' });
    }
  }
  const lines = typed.length > 0 ? typed : initial && initial.length > 0 ? initial : [EMPTY];
  return lines.map((line) => ({ ...line, key: next() }));
}

/** What a line comes to, in cents, or null while it cannot be read. */
function amountOf(row: LineValues, locale: string): number | null {
  const quantity = parseQuantity(row.quantity, locale);
  const price = parseMoney(row.unitPrice, locale);
  return quantity !== null && quantity > 0 && price.ok ? lineAmountCents({ quantity, unitAmountCents: price.cents }) : null;
}

/**
 * The invoice's lines: description, quantity and unit price per row, rows added and removed on
 * the client, the running total under them. Inputs are named `lines.<i>.<field>` (re-numbered
 * when a row goes), which is what the server action reads (lib/schemas.ts invoiceFormInput) and
 * what its field errors are keyed by. The total shown is a preview: the server computes the one
 * it stores.
 */
export function LineItems({
  state,
  initial,
  locale,
  priceExample,
}: {
  state: FormState;
  /** The invoice's lines when editing. */
  initial?: readonly LineValues[];
  /** The locale prices are typed in (the same the server action reads them in). */
  locale: string;
  /** 99.50 in that locale. */
  priceExample: string;
}) {
  const [counter] = useState(() => ({ n: 0 }));
  const next = () => ++counter.n;
  const [rows, setRows] = useState<Row[]>(() => rowsFrom(state.values, initial, next));
  // A refused submit answers a new state with what was typed: show those lines (new keys, so the
  // inputs take the values again, as Field's key does).
  const [shown, setShown] = useState(state);
  if (shown !== state) {
    setShown(state);
    if (state.values) setRows(rowsFrom(state.values, initial, next));
  }
  const errors = state.fieldErrors ?? {};
  const update = (key: number, field: LineField, value: string) => setRows((all) => all.map((row) => (row.key === key ? { ...row, [field]: value } : row)));
  const amounts = rows.map((row) => amountOf(row, locale));
  const total = amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0);

  return (
    <fieldset className="mb-4 min-w-0 border-0 p-0" data-testid="line-items">
      <legend className="mb-1 font-medium">Line items</legend>
      <table className="reflow m-0 w-full border-collapse text-sm">
        <thead>
          <tr className="text-start text-muted">
            <th scope="col" className="py-1 pr-2 font-medium">
              Description
            </th>
            <th scope="col" className="w-24 py-1 pr-2 font-medium">
              Quantity
            </th>
            <th scope="col" className="w-36 py-1 pr-2 font-medium">
              Unit price
            </th>
            <th scope="col" className="w-32 py-1 pr-2 text-right font-medium">
              Amount
            </th>
            <th scope="col" className="w-24 py-1">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            // data-label: on a phone each line is a card, each input under its column's name.
            const cell = (field: LineField, label: string, extra: Record<string, string>) => {
              const name = lineFieldName(i, field);
              const error = errors[name];
              const id = `field-${name.replaceAll('.', '-')}`;
              return (
                <td className="py-1 pr-2 align-top" data-label={label}>
                  <input
                    id={id}
                    name={name}
                    defaultValue={row[field]}
                    onChange={(event) => update(row.key, field, event.currentTarget.value)}
                    aria-label={`${label}, line ${i + 1}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    className="w-full"
                    {...extra}
                  />
                  {error && (
                    <span id={`${id}-error`} role="alert" className="mt-1 block text-sm text-danger" data-testid={`error-${name}`}>
                      {error}
                    </span>
                  )}
                </td>
              );
            };
            const amount = amounts[i] ?? null;
            return (
              <tr key={row.key} data-testid="line-row">
                {cell('description', 'Description', { maxLength: '200', placeholder: 'Design work' })}
                {cell('quantity', 'Quantity', { inputMode: 'numeric' })}
                {cell('unitPrice', 'Unit price', { inputMode: 'decimal', placeholder: priceExample })}
                <td className="py-1 pr-2 text-right align-top tabular-nums leading-10" data-label="Amount" data-testid="line-amount">
                  {amount === null ? '–' : formatAmount(amount, locale)}
                </td>
                <td className="py-1 align-top">
                  <Button
                    type="button"
                    variant="ghost"
                    disabled={rows.length === 1}
                    aria-label={`Remove line ${i + 1}`}
                    onClick={() => setRows((all) => all.filter((other) => other.key !== row.key))}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3} className="py-2 pr-2 text-right font-semibold">
              Total
            </td>
            <td className="py-2 pr-2 text-right font-semibold tabular-nums" data-testid="lines-total" aria-live="polite">
              {formatAmount(total, locale)}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      <p className="m-0 text-sm text-muted">The total counts the lines that can be read; the server computes the one it stores.</p>
      {errors.lines && (
        <p role="alert" className="m-0 mt-1 text-sm text-danger" data-testid="error-lines">
          {errors.lines}
        </p>
      )}
      <Button
        type="button"
        variant="secondary"
        className="mt-2"
        disabled={rows.length >= MAX_INVOICE_LINES}
        onClick={() => setRows((all) => [...all, { ...EMPTY, key: next() }])}
        data-testid="add-line"
      >
        Add line
      </Button>
    </fieldset>
  );
}
