import { cn } from '@sextant/ui';
import { formatDuration } from '~/lib/format';
import { formatUptime } from '~/lib/monitoring';

export interface UptimeBar {
  day: string;
  uptime: number | null;
  downSeconds?: number;
}

function barColor(uptime: number | null): string {
  if (uptime === null) return 'bg-muted-foreground/25';
  if (uptime >= 0.999) return 'bg-success';
  if (uptime >= 0.99) return 'bg-warning';
  return 'bg-destructive';
}

function barTitle(b: UptimeBar): string {
  if (b.uptime === null) return `${b.day}: no data`;
  const down = b.downSeconds ? `, down ${formatDuration(b.downSeconds)}` : '';
  return `${b.day}: ${formatUptime(b.uptime)} uptime${down}`;
}

/** One thin bar per UTC day, oldest first; hover shows the day and its uptime. */
export function UptimeBars({ bars, className }: { bars: UptimeBar[]; className?: string }) {
  const known = bars.filter((b) => b.uptime !== null).length;
  return (
    <div
      className={cn('flex h-6 items-stretch gap-px', className)}
      role="img"
      aria-label={`Daily uptime for the last ${bars.length} days (${known} with data)`}
      data-testid="uptime-bars"
    >
      {bars.map((b) => (
        <span
          key={b.day}
          title={barTitle(b)}
          data-day={b.day}
          className={cn('min-w-px flex-1 rounded-[1px]', barColor(b.uptime))}
        />
      ))}
    </div>
  );
}
