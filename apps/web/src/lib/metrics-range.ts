import { niceStep, windowProblem } from '@sextant/trpc/time-range';
import { type ParamGet as Get, firstParam as one } from './search-params';

/** Time ranges for metrics pages: `?range=1h` (relative, follows now) or `?from=…&to=…` (fixed, ISO). */
export const RELATIVE_RANGES = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

export type MetricsRange =
  | { kind: 'relative'; range: RelativeRange }
  | { kind: 'absolute'; from: Date; to: Date };

export const DEFAULT_METRICS_RANGE: MetricsRange = { kind: 'relative', range: '1h' };

const SPAN_SECONDS: Record<RelativeRange, number> = {
  '15m': 900,
  '1h': 3_600,
  '6h': 21_600,
  '24h': 86_400,
  '7d': 604_800,
  '30d': 2_592_000,
};

// 15–360 buckets each; multiples of 60 / 3600 let the API read the service tier's minutes / hours (a handful of
// rows per bucket, whatever the number of routes) instead of raw samples.
const RELATIVE_STEP: Record<RelativeRange, number> = {
  '15m': 60,
  '1h': 60,
  '6h': 60,
  '24h': 300,
  '7d': 3_600,
  '30d': 10_800,
};

/** Reads the range from server `searchParams` or client `URLSearchParams`; junk falls back to the default. */
export function readRange(get: Get): MetricsRange {
  const from = one(get, 'from');
  const to = one(get, 'to');
  if (from && to) {
    const f = new Date(from);
    const t = new Date(to);
    // The API's own rule (dates after 2000, at most 400 days), so a typo in the year falls back to the default.
    if (windowProblem(f.getTime(), t.getTime()) === null) return { kind: 'absolute', from: f, to: t };
  }
  const range = one(get, 'range');
  return RELATIVE_RANGES.includes(range as RelativeRange)
    ? { kind: 'relative', range: range as RelativeRange }
    : DEFAULT_METRICS_RANGE;
}

export function rangeSearch(r: MetricsRange): string {
  const params = new URLSearchParams();
  if (r.kind === 'absolute') {
    params.set('from', r.from.toISOString());
    params.set('to', r.to.toISOString());
  } else params.set('range', r.range);
  return `?${params.toString()}`;
}

/** Whole minutes, giving at most ~300 buckets (more only past 300 days, where the step stops at a day). */
export function stepFor(r: MetricsRange): number {
  if (r.kind === 'relative') return RELATIVE_STEP[r.range];
  return niceStep(r.from.getTime(), r.to.getTime(), { buckets: 300, minSeconds: 60 });
}

/**
 * The concrete window. Relative ranges end at `now`, which the server page passes down, so the
 * server's prefetch and the browser's first render build identical query keys.
 */
export function resolveRange(r: MetricsRange, now: number): { from: Date; to: Date; step: number } {
  const step = stepFor(r);
  if (r.kind === 'absolute') return { from: r.from, to: r.to, step };
  return { from: new Date(now - SPAN_SECONDS[r.range] * 1_000), to: new Date(now), step };
}
