import { scaleBand, scaleLinear } from 'd3-scale';
import { ChartFigure, defaultFormat, seriesStyle, seriesTable, YGrid } from './chart-frame';

export interface ChartSeries<K extends string> {
  key: K;
  label: string;
}

export interface ChartPoint<K extends string> {
  label: string;
  values: Record<K, number>;
}

/**
 * Grouped columns drawn on the server as SVG (d3-scale for the axes): no chart code reaches the
 * browser. It scales to its container's width; the same numbers are in a table for screen
 * readers, and the legend names each colour, so colour is never the only signal.
 */
export function ColumnChart<K extends string>({
  title,
  description,
  series,
  data,
  format = defaultFormat,
  className,
  ...rest
}: {
  title: string;
  description?: string;
  series: readonly ChartSeries<K>[];
  data: readonly ChartPoint<K>[];
  format?: (value: number) => string;
  className?: string;
  'data-testid'?: string;
}) {
  const width = 640;
  const height = 240;
  const margin = { top: 12, right: 8, bottom: 28, left: 64 };
  const max = Math.max(1, ...data.flatMap((d) => series.map((s) => d.values[s.key])));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([height - margin.bottom, margin.top]);
  const x = scaleBand()
    .domain(data.map((d) => d.label))
    .range([margin.left, width - margin.right])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const inner = scaleBand()
    .domain(series.map((s) => s.key))
    .range([0, x.bandwidth()])
    .padding(0.08);
  return (
    <ChartFigure
      {...rest}
      className={className}
      title={title}
      description={description}
      legend={series.map((s) => s.label)}
      width={width}
      height={height}
      table={seriesTable('Period', series, data, format)}
    >
      <YGrid ticks={y.ticks(4)} y={y} left={margin.left} right={width - margin.right} format={format} />
      {data.map((d) => (
        <g key={d.label} transform={`translate(${x(d.label) ?? 0},0)`}>
          {series.map((s, i) => {
            const value = d.values[s.key];
            return <rect key={s.key} x={inner(s.key)} y={y(value)} width={inner.bandwidth()} height={Math.max(0, y(0) - y(value))} rx={2} className={seriesStyle(i).fill} />;
          })}
          <text x={x.bandwidth() / 2} y={height - margin.bottom + 16} textAnchor="middle" className="fill-muted text-[11px]">
            {d.label}
          </text>
        </g>
      ))}
    </ChartFigure>
  );
}

/**
 * Horizontal bars for a ranking (the largest tenants, say): a label, a bar to scale, the value in
 * words. Plain HTML, so it wraps on a phone and reads in order without a table.
 */
export function BarList({ title, items, format = defaultFormat, ...rest }: { title: string; items: readonly { label: string; value: number; href?: string }[]; format?: (value: number) => string; 'data-testid'?: string }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const x = scaleLinear().domain([0, max]).range([0, 100]);
  return (
    <figure {...rest} className="m-0">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <ul className="m-0 list-none space-y-2 p-0">
        {items.map((item) => (
          <li key={item.label}>
            <div className="flex justify-between gap-3 text-sm">
              <span className="min-w-0 truncate">{item.href ? <a href={item.href}>{item.label}</a> : item.label}</span>
              <span className="tabular-nums text-muted">{format(item.value)}</span>
            </div>
            <div className="mt-0.5 h-2 rounded-full bg-surface-3" aria-hidden="true">
              <div className="h-full rounded-full bg-[var(--chart-1)]" style={{ width: `${x(item.value)}%` }} />
            </div>
          </li>
        ))}
      </ul>
    </figure>
  );
}
