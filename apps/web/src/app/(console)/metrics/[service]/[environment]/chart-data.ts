import type { TimeSeries } from '@sextant/ui';
import type { RouterOutputs } from '~/lib/router-types';
import type { ChartSpec } from './charts';

export type QueryResult = RouterOutputs['metrics']['query'];

export interface ChartData {
  x: number[];
  series: TimeSeries[];
  /** Buckets where at least one line has a value. */
  points: number;
  tier: string;
  step: number;
}

/** Lines on one chart share buckets; the first line's buckets are the x axis, the others are matched by time. */
export function toChartData(spec: ChartSpec, results: QueryResult[]): ChartData {
  const base = results[0] ?? { start: 0, step: 0, values: [] };
  const times = base.values.map((_, j) => base.start + j * base.step * 1_000);
  const x = times.map((t) => t / 1_000);
  const series = spec.lines.map((line, i) => {
    const r = results[i];
    return {
      label: line.label,
      color: line.color,
      values: times.map((t) => {
        // An index that is not a whole number (another step) finds nothing, as the old time lookup did.
        const v = r?.values[(t - r.start) / (r.step * 1_000)];
        return v === null || v === undefined ? null : v * line.scale;
      }),
    };
  });
  return {
    x,
    series,
    points: x.filter((_, j) => series.some((s) => s.values[j] !== null)).length,
    tier: [...new Set(results.map((r) => r.tier))].join(', '),
    step: results[0]?.step ?? 0,
  };
}
