'use client';

import { Stat } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { RefreshError } from '~/components/refresh-error';
import { SectionCard } from '~/components/section-card';
import { type UptimeBar, UptimeBars } from '~/components/uptime-bars';
import { formatUptime } from '~/lib/monitoring';
import { useTRPC } from '~/trpc/react';

const WINDOWS = [
  { key: '24h', label: '24 hours' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: '90d', label: '90 days' },
] as const;

/** Time-weighted uptime per window (paused time left out), and the daily bars. */
export function UptimeCard({
  service,
  bars,
  refreshMs,
}: {
  service: string;
  bars: UptimeBar[];
  refreshMs: number;
}) {
  const trpc = useTRPC();
  const uptime = useSuspenseQuery(
    trpc.services.uptime.queryOptions({ id: service }, { refetchInterval: refreshMs }),
  );
  return (
    <SectionCard
      title="Uptime"
      description="Share of observed time the service was up; paused time does not count."
      className="flex flex-col gap-5"
    >
      <RefreshError queries={[uptime]} />
      <dl className="grid grid-cols-2 gap-6 sm:grid-cols-4" data-testid="uptime-stats">
        {WINDOWS.map((w) => {
          const figures = uptime.data[w.key];
          return (
            <Stat
              key={w.key}
              label={w.label}
              data-testid={`uptime-${w.key}`}
              value={
                !figures || figures.uptime === null ? (
                  <span className="text-muted-foreground">no data</span>
                ) : (
                  formatUptime(figures.uptime)
                )
              }
            />
          );
        })}
      </dl>
      <div className="flex flex-col gap-1">
        <UptimeBars bars={bars} className="h-10" />
        <div className="flex justify-between text-xs text-muted-foreground">
          <span>{bars.length} days ago</span>
          <span>today (UTC)</span>
        </div>
      </div>
    </SectionCard>
  );
}
