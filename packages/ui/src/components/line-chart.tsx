import type * as React from 'react';
import { cn } from '../cn';

export interface LineChartPoint {
  x: Date | number;
  /** null breaks the line (no data for that x). */
  y: number | null;
}

export interface LineChartSeries {
  name: string;
  /** Text colour class (e.g. `text-primary`); the line is drawn in `currentColor`. */
  className: string;
  points: LineChartPoint[];
}

export interface LineChartProps extends Omit<React.ComponentProps<'div'>, 'children'> {
  series: LineChartSeries[];
  /** Plot height in pixels; the width follows the container. */
  height?: number;
  /** Lower bound of the y axis; defaults to the smallest value. */
  yMin?: number;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  /** Shown instead of the plot when no series has a value. */
  empty?: React.ReactNode;
}

// Drawing space; the SVG stretches it to the element, strokes keep their width via non-scaling-stroke.
const W = 1000;
const H = 100;

const num = (x: Date | number) => (x instanceof Date ? x.getTime() : x);

/** Dependency-free SVG line chart: one path per series, gaps at nulls, a hover `<title>` per x value. */
export function LineChart({
  series,
  height = 160,
  yMin,
  formatX = (x) => new Date(x).toISOString(),
  formatY = (y) => String(Math.round(y)),
  empty = 'No data',
  className,
  ...props
}: LineChartProps) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => num(p.x))))].sort((a, b) => a - b);
  const ys = series.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y])));
  if (xs.length === 0 || ys.length === 0)
    return (
      <div
        className={cn('flex items-center justify-center text-sm text-muted-foreground', className)}
        style={{ height }}
        {...props}
      >
        {empty}
      </div>
    );

  const x0 = xs[0]!;
  const x1 = xs[xs.length - 1]!;
  const lo = Math.min(yMin ?? Number.POSITIVE_INFINITY, ...ys);
  const hi = Math.max(...ys);
  const px = (x: number) => (x1 === x0 ? W / 2 : ((x - x0) / (x1 - x0)) * W);
  // A flat series still gets a visible line in the middle instead of on the frame.
  const py = (y: number) => (hi === lo ? H / 2 : H - ((y - lo) / (hi - lo)) * H);

  const paths = series.map((s) => {
    let d = '';
    let open = false;
    for (const p of [...s.points].sort((a, b) => num(a.x) - num(b.x))) {
      if (p.y === null) {
        open = false;
        continue;
      }
      const cmd = open ? 'L' : 'M';
      const pt = `${px(num(p.x)).toFixed(1)} ${py(p.y).toFixed(1)}`;
      // A lone point becomes a zero-length segment, which the round cap draws as a dot.
      d += open ? `${cmd}${pt}` : `${cmd}${pt}L${pt}`;
      open = true;
    }
    return d;
  });

  const byX = series.map((s) => new Map(s.points.map((p) => [num(p.x), p.y])));
  const hover = xs.map((x, i) => {
    const left = i === 0 ? px(x) : (px(xs[i - 1]!) + px(x)) / 2;
    const right = i === xs.length - 1 ? px(x) : (px(x) + px(xs[i + 1]!)) / 2;
    const values = series.map((s, j) => {
      const y = byX[j]!.get(x);
      return `${s.name} ${y === null || y === undefined ? '—' : formatY(y)}`;
    });
    return { x, left, width: Math.max(right - left, 1), text: `${formatX(x)}: ${values.join(', ')}` };
  });

  return (
    <div className={cn('flex flex-col gap-2', className)} {...props}>
      <div className="flex gap-2">
        <div
          className="flex flex-col justify-between text-right text-xs tabular-nums text-muted-foreground"
          style={{ height }}
        >
          <span>{formatY(hi)}</span>
          <span>{formatY(lo)}</span>
        </div>
        <svg
          viewBox={`0 -4 ${W} ${H + 8}`}
          preserveAspectRatio="none"
          className="min-w-0 flex-1 overflow-visible rounded-sm border-b border-l"
          style={{ height }}
          role="img"
          aria-label={`${series.map((s) => s.name).join(' and ')} from ${formatX(x0)} to ${formatX(x1)}, between ${formatY(lo)} and ${formatY(hi)}`}
        >
          <line
            x1={0}
            x2={W}
            y1={H / 2}
            y2={H / 2}
            className="stroke-border"
            vectorEffect="non-scaling-stroke"
          />
          {series.map((s, i) => (
            <path
              key={s.name}
              d={paths[i]}
              className={s.className}
              fill="none"
              stroke="currentColor"
              strokeWidth={2}
              strokeLinecap="round"
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {hover.map((h) => (
            <rect
              key={h.x}
              x={h.left}
              width={h.width}
              y={-4}
              height={H + 8}
              className="fill-transparent hover:fill-foreground/5"
            >
              <title>{h.text}</title>
            </rect>
          ))}
        </svg>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
        <span className="tabular-nums">{formatX(x0)}</span>
        <span className="flex gap-3">
          {series.map((s) => (
            <span key={s.name} className="flex items-center gap-1">
              <span aria-hidden className={cn('inline-block h-0.5 w-3 bg-current', s.className)} />
              {s.name}
            </span>
          ))}
        </span>
        <span className="tabular-nums">{formatX(x1)}</span>
      </div>
    </div>
  );
}
