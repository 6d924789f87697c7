'use client';

import { SectionCard } from '~/components/section-card';
import { StatusBadge } from '~/components/status-badge';
import { formatDuration } from '~/lib/format';
import { LocalTime } from '~/lib/local-time';
import type { ServiceDetail } from './types';

/** The latest state changes of the service's monitors, newest first (the API keeps 50). */
export function EventsCard({ detail }: { detail: ServiceDetail }) {
  const names = new Map<string, string>([
    ...detail.checks.map((c) => [c.id, c.name] as const),
    ...detail.heartbeats.map((h) => [h.id, h.name] as const),
  ]);
  return (
    <SectionCard
      title="Recent state changes"
      description="Newest first, with how long the previous state lasted."
    >
      {detail.events.length === 0 ? (
        <p className="text-sm text-muted-foreground">No state changes yet.</p>
      ) : (
        <ol className="flex max-h-96 flex-col divide-y overflow-y-auto" data-testid="events">
          {detail.events.map((e) => {
            const monitor = names.get(e.checkId ?? e.heartbeatId ?? '');
            return (
              <li key={e.id} className="flex flex-col gap-1 py-2 text-sm" data-testid="event-row">
                <div className="flex flex-wrap items-center gap-2">
                  <StatusBadge status={e.from} />
                  <span aria-hidden>→</span>
                  <span className="sr-only">to</span>
                  <StatusBadge status={e.to} />
                  {monitor ? <span className="font-medium">{monitor}</span> : null}
                  <span className="ml-auto text-xs text-muted-foreground">
                    <LocalTime value={e.at} />
                  </span>
                </div>
                <div className="text-xs text-muted-foreground">
                  {e.cause ?? 'no cause recorded'}
                  {e.previousDurationMs !== null
                    ? ` · was ${e.from} for ${formatDuration(e.previousDurationMs / 1_000)}`
                    : ''}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </SectionCard>
  );
}
