'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Button } from '@sextant/ui';
import { useSuspenseInfiniteQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { AlertFilterForm } from './alert-filters';
import { AlertRow } from './alert-row';
import { LIVE_MS, readFilters, toListInput, toSearch } from './filters';

export function AlertsView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const { filters, search, apply, navigating } = useUrlFilters(readFilters, toSearch);
  // Every loaded page is re-read on the interval, so state changes show up without a reload.
  const alerts = useSuspenseInfiniteQuery(
    trpc.alerts.list.infiniteQueryOptions(toListInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
      refetchInterval: LIVE_MS,
    }),
  );
  const items = alerts.data.pages.flatMap((p) => p.items);
  const canSilence = roleAtLeast(role, 'maintainer');
  const filtered = Object.keys(filters).length > 0;

  return (
    <ConsolePage
      title="Alerts"
      description={`Rule and external alerts, firing first, newest first within a state. Refreshes every ${LIVE_MS / 1_000} s.`}
      refreshed={[alerts]}
    >
      <SectionCard title="Filters">
        <AlertFilterForm key={search} filters={filters} onApply={apply} />
      </SectionCard>
      <TableCard
        columns={[
          { label: 'State' },
          { label: 'Alert' },
          { label: 'Since' },
          { label: 'Value' },
          { label: 'Silenced / inhibited' },
          { label: 'Reason' },
        ]}
        rowActions={canSilence}
        rows={items.length}
        empty={filtered ? 'No alerts match these filters.' : 'No alerts. Nothing is firing.'}
        busy={navigating}
        testId="alerts"
        footer={
          alerts.hasNextPage ? (
            <Button
              variant="outline"
              className="self-start"
              disabled={alerts.isFetchingNextPage}
              onClick={() => alerts.fetchNextPage()}
            >
              {alerts.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </Button>
          ) : null
        }
      >
        {items.map((a) => (
          <AlertRow key={a.id} alert={a} canSilence={canSilence} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
