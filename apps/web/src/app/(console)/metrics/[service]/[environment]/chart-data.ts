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
  const base = results[0]?.points ?? [];
  const x = base.map((p) => p.t / 1_000);
  const series = spec.lines.map((line, i) => {
    const byTime = new Map((results[i]?.points ?? []).map((p) => [p.t, p.v]));
    return {
      label: line.label,
      color: line.color,
      values: base.map((p) => {
        const v = byTime.get(p.t);
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
