import type { ReactNode } from 'react';
import { cx } from './cx';

/**
 * What every chart of the design system shares: a figure with its caption (and a legend naming
 * each colour, so colour is never the only signal), an SVG image with a title and a description
 * (role="img"), and the same numbers in a visually hidden table for screen readers. Charts are
 * drawn on the server; no chart JavaScript reaches the browser.
 */

/** The chart colours (design tokens --chart-1..3, each with a light and a dark value), by series. */
export const SERIES_STYLES = [
  { fill: 'fill-[var(--chart-1)]', stroke: 'stroke-[var(--chart-1)]', swatch: 'bg-[var(--chart-1)]' },
  { fill: 'fill-[var(--chart-2)]', stroke: 'stroke-[var(--chart-2)]', swatch: 'bg-[var(--chart-2)]' },
  { fill: 'fill-[var(--chart-3)]', stroke: 'stroke-[var(--chart-3)]', swatch: 'bg-[var(--chart-3)]' },
] as const;

export const seriesStyle = (index: number) => SERIES_STYLES[index % SERIES_STYLES.length]!;

export const defaultFormat = (n: number) => n.toLocaleString('en-US');

export interface HiddenTable {
  /** The header of the first column (the rows' names): "Period", "Day", "Name". */
  rowHeader: string;
  columns: readonly string[];
  rows: readonly { key: string; label: string; cells: readonly ReactNode[] }[];
}

/** The hidden table of a chart with several series: a row per point, a column per series. */
export function seriesTable<K extends string>(rowHeader: string, series: readonly { key: K; label: string }[], points: readonly { label: string; values: Record<K, number> }[], format: (value: number) => string): HiddenTable {
  return { rowHeader, columns: series.map((s) => s.label), rows: points.map((p) => ({ key: p.label, label: p.label, cells: series.map((s) => format(p.values[s.key])) })) };
}

export function ChartFigure({
  title,
  description,
  legend,
  width,
  height,
  table,
  children,
  className,
  ...rest
}: {
  title: string;
  description?: string;
  /** The series' labels, in colour order; none for a one-colour chart. */
  legend?: readonly string[];
  width: number;
  height: number;
  table: HiddenTable;
  children: ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <figure {...rest} className={cx('m-0', className)}>
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <span className="font-semibold">{title}</span>
        {legend && legend.length > 0 && (
          <span className="flex flex-wrap gap-3 text-xs text-muted" aria-hidden="true">
            {legend.map((label, i) => (
              <span key={label} className="inline-flex items-center gap-1">
                <span className={cx('inline-block size-2.5 rounded-sm', seriesStyle(i).swatch)} />
                {label}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-title`} aria-describedby={description ? `${id}-desc` : undefined}>
        <title id={`${id}-title`}>{title}</title>
        {description && <desc id={`${id}-desc`}>{description}</desc>}
        {children}
      </svg>
      {/* A table ignores width: 1px, so the wrapper is what hides it without widening the page. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{table.rowHeader}</th>
              {table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, i) => (
                  <td key={table.columns[i] ?? i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** Horizontal grid lines with their values on the left, for a chart with a linear y scale. */
export function YGrid({ ticks, y, left, right, format }: { ticks: readonly number[]; y: (value: number) => number; left: number; right: number; format: (value: number) => string }) {
  return (
    <>
      {ticks.map((tick) => (
        <g key={tick} transform={`translate(0,${y(tick)})`}>
          <line x1={left} x2={right} className="stroke-line" />
          <text x={left - 6} dy="0.32em" textAnchor="end" className="fill-muted text-[11px]">
            {format(tick)}
          </text>
        </g>
      ))}
    </>
  );
}
