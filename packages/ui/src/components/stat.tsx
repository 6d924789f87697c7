import type * as React from 'react';
import { cn } from '../cn';

/** A labelled figure for dashboards: "Uptime  3h 12m". */
export function Stat({
  label,
  value,
  className,
  ...props
}: { label: string; value: React.ReactNode } & React.ComponentProps<'div'>) {
  return (
    <div className={cn('flex flex-col gap-1', className)} {...props}>
      <dt className="text-xs uppercase tracking-wide text-muted-foreground">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
