'use client';

import { cn } from '@sextant/ui';
import { SectionCard } from '~/components/section-card';
import { useHydrated } from '~/lib/local-time';
import { COMPONENT_STATUS_TONE, OVERALL_LABEL } from '~/lib/status-page';
import { type PageView, StatusComponent } from './status-component';
import { IncidentCard, ListCard, MaintenanceCard } from './status-incidents';
import { SubscribeCard } from './subscribe-card';

/** Visitors leave a status page open during incidents; every 30 s is fresh enough and cheap. */
export const STATUS_REFRESH_MS = 30_000;

const BANNER = {
  success: 'border-success/40 bg-success/10 text-success',
  warning: 'border-warning/40 bg-warning/10 text-warning',
  danger: 'border-destructive/40 bg-destructive/10 text-destructive',
  info: 'border-primary/40 bg-primary/10 text-primary',
  neutral: 'border-border bg-muted text-muted-foreground',
} as const;

function UpdatedAt({ at }: { at: Date }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={at.toISOString()} data-testid="status-updated">
      {hydrated ? at.toLocaleTimeString() : `${at.toISOString().slice(11, 19)} UTC`}
    </time>
  );
}

/**
 * A status page as visitors see it, for /status (the virtual page of every public service) and /status/<slug>
 * alike: one rendering path. `stale` says the last refresh failed and the page shows what it had.
 */
export function StatusPageBody({ view, stale }: { view: PageView; stale: boolean }) {
  const names = new Map(view.groups.flatMap((g) => g.components.map((c) => [c.key, c.name] as const)));
  const components = view.groups.flatMap((g) => g.components);
  return (
    <main
      className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-10"
      data-testid="status-page"
      data-slug={view.slug ?? ''}
    >
      <header className="flex flex-col gap-3">
        {view.logoUrl ? (
          // A logo on any host the admin chose: next/image would need each host configured.
          // biome-ignore lint/performance/noImgElement: see above.
          <img src={view.logoUrl} alt="" className="h-10 w-auto self-start" data-testid="status-logo" />
        ) : null}
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="status-title">
          {view.title}
        </h1>
        <p className="text-sm text-muted-foreground">
          Updated <UpdatedAt at={view.generatedAt} /> · refreshes every 30 s
        </p>
      </header>

      <div
        role="status"
        className={cn(
          'rounded-lg border p-5 text-lg font-semibold',
          BANNER[COMPONENT_STATUS_TONE[view.overall]],
        )}
        data-overall={view.overall}
        data-testid="status-overall"
      >
        {OVERALL_LABEL[view.overall]}
      </div>
      {stale ? (
        <p role="alert" className="text-sm text-muted-foreground">
          Showing the last known status; the latest update failed.
        </p>
      ) : null}

      <ListCard title="Active incidents" testId="status-incidents">
        {view.activeIncidents.map((i) => (
          <IncidentCard key={i.id} incident={i} names={names} />
        ))}
      </ListCard>
      <ListCard title="Maintenance in progress" testId="status-maintenance-active">
        {view.activeMaintenances.map((m) => (
          <MaintenanceCard key={`${m.id}-${m.startsAt.toISOString()}`} window={m} names={names} />
        ))}
      </ListCard>
      <ListCard title="Upcoming maintenance" testId="status-maintenance-upcoming">
        {view.upcomingMaintenances.map((m) => (
          <MaintenanceCard key={`${m.id}-${m.startsAt.toISOString()}`} window={m} names={names} />
        ))}
      </ListCard>

      <SectionCard title="Components" testId="status-components">
        {components.length === 0 ? (
          <p className="text-sm text-muted-foreground">No services are published here yet.</p>
        ) : (
          <div className="flex flex-col gap-4">
            {view.groups.map((g) => (
              <section key={g.name ?? ''} data-testid="status-group" data-group={g.name ?? ''}>
                {g.name ? <h2 className="text-sm font-semibold text-muted-foreground">{g.name}</h2> : null}
                <ul className="flex flex-col divide-y">
                  {g.components.map((c) => (
                    <StatusComponent key={c.key} component={c} />
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </SectionCard>

      <ListCard title="Incident history" testId="status-history" empty="No incidents in the last 90 days.">
        {view.history.map((i) => (
          <IncidentCard key={i.id} incident={i} names={names} />
        ))}
      </ListCard>

      {view.emailSubscriptions && view.slug ? (
        <SubscribeCard slug={view.slug} components={components.map((c) => ({ key: c.key, name: c.name }))} />
      ) : null}

      {view.footer ? (
        <footer
          className="whitespace-pre-wrap break-words text-sm text-muted-foreground"
          data-testid="status-footer"
        >
          {view.footer}
        </footer>
      ) : null}
    </main>
  );
}
