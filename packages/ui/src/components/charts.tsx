import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { area, curveMonotoneX, line } from 'd3-shape';
import { ChartFigure, defaultFormat, seriesStyle, seriesTable, YGrid } from './chart-frame';
import { cx } from './cx';

/**
 * Two more charts of the design system, drawn as SVG on the server (d3-scale for the axes,
 * d3-shape for the areas): horizontal bars for a ranking with a value axis (the console's tenant
 * sizes) and stacked areas of counts per day (its activity). Each is an image with a title and a
 * description, with the same numbers in a hidden table (ChartFigure).
 */

export interface Bar {
  label: string;
  value: number;
  /** A short note after the value (a tenant's status). */
  note?: string;
}

/**
 * Horizontal bars, in the order given (largest first, say): one row per item, its label on the
 * left, its value at the bar's end. The SVG scales to its container's width.
 */
export function HorizontalBarChart({
  title,
  description,
  items,
  valueLabel,
  format = defaultFormat,
  className,
  ...rest
}: {
  title: string;
  description: string;
  items: readonly Bar[];
  /** The table's header of the values ("Rows"). */
  valueLabel: string;
  format?: (value: number) => string;
  className?: string;
  'data-testid'?: string;
}) {
  const width = 640;
  const row = 28;
  const margin = { top: 4, right: 72, bottom: 4, left: 150 };
  const height = margin.top + margin.bottom + Math.max(1, items.length) * row;
  const x = scaleLinear()
    .domain([0, Math.max(1, ...items.map((i) => i.value))])
    .range([margin.left, width - margin.right]);
  const y = scaleBand()
    .domain(items.map((_, i) => String(i)))
    .range([margin.top, height - margin.bottom])
    .padding(0.25);
  return (
    <ChartFigure
      {...rest}
      className={className}
      title={title}
      description={description}
      width={width}
      height={height}
      table={{
        rowHeader: 'Name',
        columns: [valueLabel],
        rows: items.map((item) => ({ key: item.label, label: item.label, cells: [`${format(item.value)}${item.note ? ` (${item.note})` : ''}`] })),
      }}
    >
      {items.map((item, i) => {
        const top = y(String(i)) ?? 0;
        const end = x(item.value);
        return (
          <g key={item.label} data-bar={item.label} data-value={item.value}>
            <text x={margin.left - 8} y={top + y.bandwidth() / 2} dy="0.32em" textAnchor="end" className="fill-fg text-[12px]">
              {item.label.length > 22 ? `${item.label.slice(0, 21)}…` : item.label}
            </text>
            <rect x={margin.left} y={top} width={Math.max(item.value > 0 ? 2 : 0, end - margin.left)} height={y.bandwidth()} rx={3} className={seriesStyle(0).fill} />
            <text x={end + 6} y={top + y.bandwidth() / 2} dy="0.32em" className="fill-muted text-[12px] tabular-nums">
              {format(item.value)}
              {item.note ? ` · ${item.note}` : ''}
            </text>
          </g>
        );
      })}
      <line x1={margin.left} x2={margin.left} y1={margin.top} y2={height - margin.bottom} className="stroke-line" />
    </ChartFigure>
  );
}

export interface DailySeries<K extends string> {
  key: K;
  label: string;
}

export interface DailyPoint<K extends string> {
  /** The day, YYYY-MM-DD (UTC). */
  day: string;
  values: Record<K, number>;
}

/** Counts per day as stacked areas (events per day): the days on a UTC time axis, one area per series. */
export function DailyAreaChart<K extends string>({
  title,
  description,
  series,
  data,
  format = defaultFormat,
  locale = 'en-US',
  className,
  ...rest
}: {
  title: string;
  description: string;
  series: readonly DailySeries<K>[];
  data: readonly DailyPoint<K>[];
  format?: (value: number) => string;
  /** The language of the day labels on the axis. */
  locale?: string;
  className?: string;
  'data-testid'?: string;
}) {
  const width = 640;
  const height = 220;
  const margin = { top: 12, right: 12, bottom: 28, left: 48 };
  const days = data.map((d) => new Date(`${d.day}T00:00:00Z`));
  const x = scaleUtc()
    .domain([days[0] ?? new Date(0), days.at(-1) ?? new Date(0)])
    .range([margin.left, width - margin.right]);
  // Stacked: each series sits on the ones before it.
  const stacked = series.map((_, s) => data.map((d) => series.slice(0, s + 1).reduce((sum, k) => sum + d.values[k.key], 0)));
  // Counts: at least 4 on the axis, so its ticks are whole numbers.
  const max = Math.max(4, ...(stacked.at(-1) ?? [0]));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([height - margin.bottom, margin.top]);
  const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const index = data.map((_, j) => j);
  const layers = series.map((s, i) => {
    const top = stacked[i]!;
    const bottom = i === 0 ? data.map(() => 0) : stacked[i - 1]!;
    const shape = area<number>()
      .x((j) => x(days[j]!))
      .y0((j) => y(bottom[j]!))
      .y1((j) => y(top[j]!))
      .curve(curveMonotoneX);
    const edge = line<number>()
      .x((j) => x(days[j]!))
      .y((j) => y(top[j]!))
      .curve(curveMonotoneX);
    return { key: s.key, area: shape(index) ?? '', line: edge(index) ?? '', style: seriesStyle(i) };
  });
  return (
    <ChartFigure
      {...rest}
      className={className}
      title={title}
      description={description}
      legend={series.map((s) => s.label)}
      width={width}
      height={height}
      table={seriesTable('Day', series, data.map((d) => ({ label: d.day, values: d.values })), format)}
    >
      <YGrid ticks={y.ticks(4).filter(Number.isInteger)} y={y} left={margin.left} right={width - margin.right} format={format} />
      {layers.map((layer) => (
        <g key={layer.key} data-series={layer.key}>
          <path d={layer.area} className={cx(layer.style.fill, 'opacity-30')} />
          <path d={layer.line} fill="none" strokeWidth={2} className={layer.style.stroke} />
        </g>
      ))}
      {x.ticks(6).map((tick) => (
        <text key={tick.toISOString()} x={x(tick)} y={height - margin.bottom + 18} textAnchor="middle" className="fill-muted text-[11px]">
          {dayLabel.format(tick)}
        </text>
      ))}
    </ChartFigure>
  );
}
