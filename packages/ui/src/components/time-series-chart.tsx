'use client';

// uPlot: canvas-based and ~40 KB, it draws 10k+ points per series smoothly where SVG charts stall.
import * as React from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cn } from '../cn';
import { BRIDGED_BUCKETS, isolatedIndices } from './chart-gaps';

/** `number`: a plain value (an alert rule's metric, whatever it measures). */
export type TimeSeriesUnit = 'ms' | '%' | 'req/s' | 'bytes' | 'cores' | 'number';
/** `flag`: a feature flag change, drawn dotted in its own colour. */
export type MarkerTone = 'danger' | 'warning' | 'success' | 'info' | 'neutral' | 'flag';

export interface TimeSeries {
  label: string;
  /** One value per x; null breaks the line (no data in that bucket). */
  values: (number | null)[];
  /** A CSS colour or a custom property name such as `--warning`; defaults to the theme palette. */
  color?: string;
}

export interface TimeSeriesMarker {
  /** Epoch seconds. */
  t: number;
  label: string;
  tone?: MarkerTone;
}

/** A horizontal line at a value, e.g. an alert rule's threshold. */
export interface TimeSeriesThreshold {
  value: number;
  label: string;
  tone?: MarkerTone;
}

/** A shaded stretch of time, e.g. while an alert was firing; epoch seconds, `to` null = up to the right edge. */
export interface TimeSeriesSpan {
  from: number;
  to: number | null;
  tone?: MarkerTone;
}

export interface TimeSeriesChartProps extends Omit<React.ComponentProps<'div'>, 'children'> {
  /** Epoch seconds, ascending, shared by every series. */
  x: number[];
  series: TimeSeries[];
  unit: TimeSeriesUnit;
  height?: number;
  markers?: TimeSeriesMarker[];
  thresholds?: TimeSeriesThreshold[];
  spans?: TimeSeriesSpan[];
  /** Charts with the same key share one crosshair. */
  syncKey?: string;
  /** Lower bound of the y axis; metrics here are never negative, so 0 by default. */
  yMin?: number;
}

const NONE: never[] = [];
const PALETTE = ['--primary', '--warning', '--destructive', '--success', '--muted-foreground'];
const TONE_VAR: Record<MarkerTone, string> = {
  danger: '--destructive',
  warning: '--warning',
  success: '--success',
  info: '--primary',
  neutral: '--muted-foreground',
  flag: '--flag',
};

const BYTE_INCRS = [0, 1, 2, 3, 4].flatMap((k) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((n) => n * 1_024 ** k),
);

function trim(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

/** "12 ms", "1.25 s", "0.4%", "1.2k req/s", "512 MiB", "0.35 cores". */
export function formatUnit(v: number | null | undefined, unit: TimeSeriesUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  switch (unit) {
    case 'ms':
      if (a >= 1_000) return `${trim(v / 1_000, 2)} s`;
      return `${trim(v, a < 10 ? 2 : 0)} ms`;
    case '%':
      return `${trim(v, a < 1 ? 3 : a < 10 ? 2 : 1)}%`;
    case 'req/s':
      if (a >= 1_000_000) return `${trim(v / 1_000_000, 2)}M req/s`;
      if (a >= 1_000) return `${trim(v / 1_000, 2)}k req/s`;
      return `${trim(v, a < 10 ? 2 : 1)} req/s`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let i = 0;
      let n = v;
      while (Math.abs(n) >= 1_024 && i < units.length - 1) {
        n /= 1_024;
        i++;
      }
      return `${trim(n, Math.abs(n) < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
    }
    case 'cores':
      return `${trim(v, a < 0.1 ? 3 : 2)} cores`;
    case 'number':
      if (a >= 1_000_000) return `${trim(v / 1_000_000, 2)}M`;
      if (a >= 1_000) return `${trim(v / 1_000, 2)}k`;
      return trim(v, a < 10 ? 3 : 1);
  }
}

/** Canvas needs concrete colours: resolve `--name` against the current theme. */
function cssColor(value: string): string {
  if (!value.startsWith('--')) return value;
  return getComputedStyle(document.documentElement).getPropertyValue(value).trim() || 'currentColor';
}

/** What the palette depends on: the root's classes (`dark`) and colour scheme. */
const themeKey = () => `${document.documentElement.className}|${document.documentElement.style.colorScheme}`;

/**
 * Bumps when next-themes flips the `dark` class, so the chart redraws in the new palette. Only a real change counts:
 * next-themes re-applies the same class after hydration, which rebuilt every chart a second time on each page load.
 */
function useThemeVersion(): number {
  const [version, setVersion] = React.useState(0);
  React.useEffect(() => {
    let last = themeKey();
    const observer = new MutationObserver(() => {
      const now = themeKey();
      if (now === last) return;
      last = now;
      setVersion((v) => v + 1);
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

/** Vertical lines (state changes, deploys) drawn on the canvas after each redraw. */
function markersPlugin(markers: React.RefObject<TimeSeriesMarker[]>): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        const dpr = uPlot.pxRatio;
        ctx.save();
        ctx.font = `${Math.round(10 * dpr)}px ui-sans-serif, system-ui, sans-serif`;
        ctx.textBaseline = 'top';
        const shown = (markers.current ?? [])
          .map((m) => ({ m, x: Math.round(u.valToPos(m.t, 'x', true)) }))
          .filter(({ x }) => x >= bbox.left && x <= bbox.left + bbox.width)
          .sort((a, b) => a.x - b.x);
        for (const { m, x } of shown) {
          ctx.strokeStyle = cssColor(TONE_VAR[m.tone ?? 'neutral']);
          ctx.lineWidth = dpr;
          // Dotted for flag changes, so they differ from deployments without relying on colour.
          ctx.setLineDash(m.tone === 'flag' ? [1.5 * dpr, 2.5 * dpr] : [4 * dpr, 3 * dpr]);
          ctx.beginPath();
          ctx.moveTo(x + 0.5, bbox.top);
          ctx.lineTo(x + 0.5, bbox.top + bbox.height);
          ctx.stroke();
        }
        // Labels right to left where they do not collide: of markers close together the latest is named.
        let nextLabelX = Number.POSITIVE_INFINITY;
        for (let i = shown.length - 1; i >= 0; i--) {
          const { m, x } = shown[i]!;
          if (nextLabelX - x <= 80 * dpr) continue;
          ctx.fillStyle = cssColor(TONE_VAR[m.tone ?? 'neutral']);
          // Near the right edge the label goes left of its line so it stays inside the plot.
          const right = x + 95 * dpr > bbox.left + bbox.width;
          ctx.textAlign = right ? 'right' : 'left';
          ctx.fillText(m.label, right ? x - 3 * dpr : x + 3 * dpr, bbox.top + 2 * dpr, 90 * dpr);
          nextLabelX = x;
        }
        ctx.restore();
      },
    },
  };
}

interface Overlays {
  thresholds: TimeSeriesThreshold[];
  spans: TimeSeriesSpan[];
}

/** Spans shaded under the lines, thresholds drawn dashed across the plot with their label at the left. */
function overlaysPlugin(overlays: React.RefObject<Overlays>): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        for (const s of overlays.current?.spans ?? []) {
          const left = Math.max(bbox.left, u.valToPos(s.from, 'x', true));
          const right = Math.min(
            bbox.left + bbox.width,
            s.to === null ? Infinity : u.valToPos(s.to, 'x', true),
          );
          if (right <= left) continue;
          ctx.globalAlpha = 0.12;
          ctx.fillStyle = cssColor(TONE_VAR[s.tone ?? 'danger']);
          ctx.fillRect(left, bbox.top, right - left, bbox.height);
        }
        ctx.restore();
      },
      draw: (u) => {
        const { ctx, bbox } = u;
        const dpr = uPlot.pxRatio;
        ctx.save();
        ctx.font = `${Math.round(10 * dpr)}px ui-sans-serif, system-ui, sans-serif`;
        ctx.textBaseline = 'bottom';
        for (const t of overlays.current?.thresholds ?? []) {
          const y = Math.round(u.valToPos(t.value, 'y', true));
          if (y < bbox.top || y > bbox.top + bbox.height) continue;
          const color = cssColor(TONE_VAR[t.tone ?? 'danger']);
          ctx.strokeStyle = color;
          ctx.fillStyle = color;
          ctx.lineWidth = dpr;
          ctx.setLineDash([6 * dpr, 4 * dpr]);
          ctx.beginPath();
          ctx.moveTo(bbox.left, y + 0.5);
          ctx.lineTo(bbox.left + bbox.width, y + 0.5);
          ctx.stroke();
          ctx.fillText(t.label, bbox.left + 3 * dpr, y - 2 * dpr);
        }
        ctx.restore();
      },
    },
  };
}

/**
 * Samples every 15–30 s land unevenly in 10–15 s buckets, leaving lone empty buckets; bridge short gaps
 * so lines stay readable, and keep longer ones visible (they are real outages).
 */
function bridgeShortGaps(u: uPlot, _series: number, _i0: number, _i1: number, gaps: uPlot.Series.Gaps) {
  const xs = u.data[0];
  if (xs.length < 2 || gaps.length === 0) return gaps;
  const stepPx = Math.abs(u.valToPos(xs[1]!, 'x', true) - u.valToPos(xs[0]!, 'x', true));
  return gaps.filter(([from, to]) => to - from > (BRIDGED_BUCKETS + 0.5) * stepPx);
}

function buildOptions(
  props: Pick<TimeSeriesChartProps, 'series' | 'unit' | 'height' | 'syncKey' | 'yMin'>,
  width: number,
  markers: React.RefObject<TimeSeriesMarker[]>,
  overlays: React.RefObject<Overlays>,
): uPlot.Options {
  const { series, unit, height = 200, syncKey = 'sextant-metrics', yMin = 0 } = props;
  const axisColor = cssColor('--muted-foreground');
  const gridColor = cssColor('--border');
  const font = '11px ui-sans-serif, system-ui, sans-serif';
  return {
    width,
    height,
    plugins: [overlaysPlugin(overlays), markersPlugin(markers)],
    cursor: { sync: { key: syncKey }, drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true },
      y: {
        range: (_u, min, max) => {
          // Thresholds stay in view even when the data is far below them.
          const levels = (overlays.current?.thresholds ?? []).map((t) => t.value);
          const lo = Math.min(yMin, min ?? yMin, ...levels);
          const top = Math.max(max ?? lo + 1, ...levels);
          return [lo, top > lo ? top + (top - lo) * 0.1 : lo + 1];
        },
      },
    },
    axes: [
      { stroke: axisColor, font, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
      {
        stroke: axisColor,
        font,
        grid: { stroke: gridColor, width: 1 },
        ticks: { stroke: gridColor },
        // Binary steps for bytes so ticks read 256 MiB, 512 MiB rather than 191 MiB.
        ...(unit === 'bytes' ? { incrs: BYTE_INCRS } : {}),
        values: (_u, splits) => splits.map((v) => formatUnit(v, unit)),
        // Wide enough for the longest label ("1023.5 MiB"); uPlot measures nothing itself.
        size: (_u, values) => 16 + 6.5 * Math.max(4, ...(values ?? []).map((v) => v.length)),
      },
    ],
    series: [
      {},
      ...series.map((s, i) => {
        const color = cssColor(s.color ?? PALETTE[i % PALETTE.length]!);
        return {
          label: s.label,
          stroke: color,
          width: 1.5,
          spanGaps: false,
          gaps: bridgeShortGaps,
          // Dots only where a value has nothing to join to; a line alone would not show it.
          points: {
            show: false,
            size: 6,
            fill: color,
            filter: (u: uPlot, i: number) => {
              const lone = isolatedIndices(u.data[i]!);
              return lone.length > 0 ? lone : null;
            },
          },
          value: (_u: uPlot, v: number | null) => formatUnit(v, unit),
        };
      }),
    ],
  };
}

/** A uPlot time-series chart: live legend, crosshair synced across the page, markers, follows its container. */
export function TimeSeriesChart({
  x,
  series,
  unit,
  height = 200,
  markers = [],
  thresholds = NONE,
  spans = NONE,
  syncKey,
  yMin,
  className,
  ...props
}: TimeSeriesChartProps) {
  const container = React.useRef<HTMLDivElement>(null);
  const plot = React.useRef<uPlot | null>(null);
  const markersRef = React.useRef<TimeSeriesMarker[]>(markers);
  const overlaysRef = React.useRef<Overlays>({ thresholds, spans });
  const theme = useThemeVersion();
  const data = React.useMemo<uPlot.AlignedData>(() => [x, ...series.map((s) => s.values)], [x, series]);
  const dataRef = React.useRef(data);
  dataRef.current = data;
  const optionsRef = React.useRef({ series, unit, height, syncKey, yMin });
  optionsRef.current = { series, unit, height, syncKey, yMin };
  // Rebuild only when what the options encode changes; new data alone goes through setData.
  const shape = JSON.stringify([series.map((s) => [s.label, s.color]), unit, height, syncKey, yMin, theme]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the option props read via refs
  React.useEffect(() => {
    const el = container.current;
    if (!el) return;
    const u = new uPlot(
      buildOptions(optionsRef.current, Math.max(el.clientWidth, 100), markersRef, overlaysRef),
      dataRef.current,
      el,
    );
    plot.current = u;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== u.width) u.setSize({ width, height: optionsRef.current.height ?? 200 });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  React.useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  React.useEffect(() => {
    markersRef.current = markers;
    plot.current?.redraw(false);
  }, [markers]);

  React.useEffect(() => {
    overlaysRef.current = { thresholds, spans };
    // Re-range from the data (a threshold may lie outside it); redraw(true) would pin x to its last committed
    // range, which is still unset right after the chart is made: an empty chart after a client-side navigation.
    const u = plot.current;
    u?.setData(u.data);
  }, [thresholds, spans]);

  return (
    <div className={cn('w-full min-w-0 [&_.u-legend]:text-xs!', className)} {...props}>
      <div ref={container} className="w-full min-w-0" style={{ minHeight: height }} />
      <MarkerList markers={markers} x={x} />
    </div>
  );
}

/** "2026-12-01 21:08 UTC": the same text on the server and in every browser. */
const utcMinute = (t: number) => `${new Date(t * 1_000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The markers the canvas draws (those inside the x range) as text, for screen readers and tests. */
function MarkerList({ markers, x }: { markers: TimeSeriesMarker[]; x: number[] }) {
  const first = x[0];
  const last = x.at(-1);
  const shown =
    first === undefined || last === undefined ? [] : markers.filter((m) => m.t >= first && m.t <= last);
  if (shown.length === 0) return null;
  return (
    <ul className="sr-only" aria-label="Chart markers" data-testid="chart-markers">
      {shown.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: markers may share a time and a label; order is stable
        <li key={i} data-testid="chart-marker" data-tone={m.tone ?? 'neutral'}>
          <time dateTime={new Date(m.t * 1_000).toISOString()}>{utcMinute(m.t)}</time> {m.label}
        </li>
      ))}
    </ul>
  );
}
