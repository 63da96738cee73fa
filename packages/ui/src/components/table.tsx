import type { ReactNode } from 'react';
import { cx } from './cx';

export interface Column<K extends string = string> {
  key: K;
  header: ReactNode;
  /** The column's name in a phone's card layout, when `header` is not plain text. */
  label?: string;
  align?: 'start' | 'end';
  className?: string;
}

export interface Row<K extends string = string> {
  key: string;
  cells: Partial<Record<K, ReactNode>>;
  'data-testid'?: string;
}

/**
 * A data table: real <th scope="col"> headers, numbers right-aligned in tabular figures, and on a
 * phone (below 640px) one card per row with each value under its column's name, so the page never
 * scrolls sideways. `empty` is shown instead of an empty table.
 */
export function Table<K extends string>({
  columns,
  rows,
  caption,
  empty,
  className,
  ...rest
}: {
  columns: readonly Column<K>[];
  rows: readonly Row<K>[];
  /** Read by screen readers; visually hidden unless `showCaption`. */
  caption?: ReactNode;
  empty?: ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const align = (c: Column<K>) => (c.align === 'end' ? 'text-end tabular-nums' : undefined);
  return (
    <div className={cx('overflow-hidden rounded-xl border border-line max-sm:border-0 max-sm:rounded-none', className)}>
      <table {...rest} className="reflow m-0">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={cx(align(c), c.className)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid={row['data-testid']} className="last:[&>td]:border-b-0">
              {columns.map((c) => (
                <td key={c.key} data-label={c.label ?? (typeof c.header === 'string' ? c.header : undefined)} className={cx(align(c), c.className)}>
                  {row.cells[c.key] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
