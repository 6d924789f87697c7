'use client';

import { cn } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { SectionCard } from '~/components/section-card';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { StatusService } from './status-service';

/** Visitors leave this page open during incidents; every 30 s is fresh enough and cheap. */
const REFRESH_MS = 30_000;

const OVERALL: Record<string, { text: string; className: string }> = {
  operational: { text: 'All systems operational', className: 'border-success/40 bg-success/10 text-success' },
  degraded: { text: 'Degraded', className: 'border-warning/40 bg-warning/10 text-warning' },
  outage: { text: 'Partial outage', className: 'border-destructive/40 bg-destructive/10 text-destructive' },
};
// `overall` is typed as a plain string by the API; anything new reads as unknown rather than "operational".
const UNKNOWN = { text: 'Status unknown', className: 'border-border bg-muted text-muted-foreground' };

function UpdatedAt({ at }: { at: Date }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={at.toISOString()} data-testid="status-updated">
      {hydrated ? at.toLocaleTimeString() : `${at.toISOString().slice(11, 19)} UTC`}
    </time>
  );
}

export function StatusView() {
  const trpc = useTRPC();
  const status = useSuspenseQuery(trpc.status.get.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const data = status.data;
  const overall = OVERALL[data.overall] ?? UNKNOWN;

  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-10">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Service status</h1>
        <p className="text-sm text-muted-foreground">
          Updated <UpdatedAt at={data.generatedAt} /> · refreshes every 30 s
        </p>
      </header>

      <div
        role="status"
        className={cn('rounded-lg border p-5 text-lg font-semibold', overall.className)}
        data-overall={data.overall}
        data-testid="status-overall"
      >
        {overall.text}
      </div>
      {/* The public page words this for visitors, not in the console's terms. */}
      {status.error ? (
        <p role="alert" className="text-sm text-muted-foreground">
          Showing the last known status; the latest update failed.
        </p>
      ) : null}

      <SectionCard title="Services">
        {data.services.length === 0 ? (
          <p className="text-sm text-muted-foreground">No services are published here yet.</p>
        ) : (
          <ul className="flex flex-col divide-y">
            {data.services.map((s) => (
              <StatusService key={s.slug} service={s} />
            ))}
          </ul>
        )}
      </SectionCard>

      <SectionCard title="Incidents">
        {data.incidents.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="status-incidents">
            No incidents
          </p>
        ) : (
          <ul className="flex flex-col gap-2" data-testid="status-incidents">
            {data.incidents.map((i) => (
              <li key={`${i.title}-${i.startedAt.toISOString()}`} className="text-sm">
                <span className="font-medium">{i.title}</span>{' '}
                <span className="text-muted-foreground">
                  since{' '}
                  <time dateTime={i.startedAt.toISOString()}>
                    {i.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
                  </time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </SectionCard>
    </main>
  );
}
