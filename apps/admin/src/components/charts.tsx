/**
 * The console's charts, drawn as SVG on the server (d3-scale for the axes, d3-shape for the
 * areas): no chart JavaScript reaches the browser. Each is an image with a title and a description
 * (role="img"), and the same numbers are in a visually hidden table for screen readers. Colours are
 * the design system's chart tokens; a legend names each one, so colour is never the only signal.
 */
import { cx } from '@studio/ui/components';
import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { area, curveMonotoneX, line } from 'd3-shape';

const number = (n: number) => n.toLocaleString('en-US');

/** The id of a chart's title and description, from its title. */
const idOf = (title: string) => `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

export interface Bar {
  label: string;
  value: number;
  /** A short note after the value (a tenant's status). */
  note?: string;
}

/**
 * Horizontal bars, largest first (the tenants' sizes): one row per item, its label on the left,
 * its value at the bar's end. The SVG scales to its container's width.
 */
export function HorizontalBarChart({
  title,
  description,
  items,
  valueLabel,
  format = number,
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
  const id = idOf(title);
  return (
    <figure {...rest} className={cx('m-0', className)}>
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {items.map((item, i) => {
          const top = y(String(i)) ?? 0;
          const end = x(item.value);
          return (
            <g key={item.label} data-bar={item.label} data-value={item.value}>
              <text x={margin.left - 8} y={top + y.bandwidth() / 2} dy="0.32em" textAnchor="end" className="fill-fg text-[12px]">
                {item.label.length > 22 ? `${item.label.slice(0, 21)}…` : item.label}
              </text>
              <rect x={margin.left} y={top} width={Math.max(item.value > 0 ? 2 : 0, end - margin.left)} height={y.bandwidth()} rx={3} className="fill-[var(--chart-1)]" />
              <text x={end + 6} y={top + y.bandwidth() / 2} dy="0.32em" className="fill-muted text-[12px] tabular-nums">
                {format(item.value)}
                {item.note ? ` · ${item.note}` : ''}
              </text>
            </g>
          );
        })}
        <line x1={margin.left} x2={margin.left} y1={margin.top} y2={height - margin.bottom} className="stroke-line" />
      </svg>
      {/* A table ignores width: 1px, so the wrapper is what hides it without widening the page. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">{valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.label}>
                <th scope="row">{item.label}</th>
                <td>
                  {format(item.value)}
                  {item.note ? ` (${item.note})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
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

const SERIES = [
  { fill: 'fill-[var(--chart-1)]', stroke: 'stroke-[var(--chart-1)]', swatch: 'bg-[var(--chart-1)]' },
  { fill: 'fill-[var(--chart-2)]', stroke: 'stroke-[var(--chart-2)]', swatch: 'bg-[var(--chart-2)]' },
  { fill: 'fill-[var(--chart-3)]', stroke: 'stroke-[var(--chart-3)]', swatch: 'bg-[var(--chart-3)]' },
];

const dayLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Counts per day as stacked areas (events per day): the days on a UTC time axis, one area per series. */
export function DailyAreaChart<K extends string>({
  title,
  description,
  series,
  data,
  format = number,
  className,
  ...rest
}: {
  title: string;
  description: string;
  series: readonly DailySeries<K>[];
  data: readonly DailyPoint<K>[];
  format?: (value: number) => string;
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
  const id = idOf(title);
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
    const index = data.map((_, j) => j);
    return { key: s.key, area: shape(index) ?? '', line: edge(index) ?? '', style: SERIES[i % SERIES.length]! };
  });
  return (
    <figure {...rest} className={cx('m-0', className)}>
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <span className="font-semibold">{title}</span>
        <span className="flex flex-wrap gap-3 text-xs text-muted" aria-hidden="true">
          {series.map((s, i) => (
            <span key={s.key} className="inline-flex items-center gap-1">
              <span className={cx('inline-block size-2.5 rounded-sm', SERIES[i % SERIES.length]!.swatch)} />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {y.ticks(4).filter(Number.isInteger).map((tick) => (
          <g key={tick} transform={`translate(0,${y(tick)})`}>
            <line x1={margin.left} x2={width - margin.right} className="stroke-line" />
            <text x={margin.left - 6} dy="0.32em" textAnchor="end" className="fill-muted text-[11px]">
              {format(tick)}
            </text>
          </g>
        ))}
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
      </svg>
      {/* A table ignores width: 1px, so the wrapper is what hides it without widening the page. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {series.map((s) => (
                  <td key={s.key}>{format(d.values[s.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
