import type * as React from 'react';
import { cn } from '../cn';

/**
 * A small inline trend of a few values (e.g. one per day), scaled to its own range; null is a gap. Decorative:
 * `label` names it for assistive technology, the figures next to it carry the numbers.
 */
export function Sparkline({
  values,
  label,
  width = 64,
  height = 16,
  className,
  ...props
}: {
  values: readonly (number | null)[];
  label: string;
  width?: number;
  height?: number;
} & Omit<React.ComponentProps<'svg'>, 'values'>) {
  const known = values.filter((v): v is number => v !== null);
  const min = Math.min(...known);
  const span = Math.max(...known) - min || 1;
  const x = (i: number) => (values.length < 2 ? width / 2 : (i * (width - 2)) / (values.length - 1) + 1);
  const y = (v: number) => height - 1 - ((v - min) * (height - 2)) / span;
  // One polyline per run of known values, so a missing day shows as a gap.
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className={cn('inline-block align-middle text-primary', className)}
      {...props}
    >
      {runs.map((points) =>
        points.includes(' ') ? (
          <polyline key={points} points={points} fill="none" stroke="currentColor" strokeWidth={1.5} />
        ) : (
          <circle
            key={points}
            cx={points.split(',')[0]}
            cy={points.split(',')[1]}
            r={1.5}
            fill="currentColor"
          />
        ),
      )}
    </svg>
  );
}
