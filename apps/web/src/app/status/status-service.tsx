import { cn } from '@sextant/ui';
import { UptimeBars } from '~/components/uptime-bars';
import type { RouterOutputs } from '~/lib/router-types';

type PublicService = RouterOutputs['status']['get']['services'][number];

/** Words for the public: no monitor jargon. */
const LABEL: Record<string, { text: string; className: string }> = {
  up: { text: 'Operational', className: 'text-success' },
  degraded: { text: 'Degraded', className: 'text-warning' },
  down: { text: 'Outage', className: 'text-destructive' },
  maintenance: { text: 'Under maintenance', className: 'text-muted-foreground' },
  unknown: { text: 'No data', className: 'text-muted-foreground' },
};

export function StatusService({ service: s }: { service: PublicService }) {
  const label = LABEL[s.status] ?? LABEL.unknown!;
  return (
    <li
      className="flex flex-col gap-2 py-4"
      data-testid="status-service"
      data-slug={s.slug}
      data-status={s.status}
    >
      <div className="flex items-center justify-between gap-4">
        <span className="font-medium">{s.name}</span>
        <span className={cn('text-sm font-medium', label.className)} data-testid="status-service-state">
          {label.text}
        </span>
      </div>
      <UptimeBars bars={s.bars} className="h-8" />
      <div className="flex justify-between text-xs text-muted-foreground">
        <span>{s.bars.length} days ago</span>
        <span>Today</span>
      </div>
    </li>
  );
}
