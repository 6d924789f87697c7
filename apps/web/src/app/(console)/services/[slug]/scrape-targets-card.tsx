'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { RefreshError } from '~/components/refresh-error';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { ScrapeTargetDialog } from './scrape-target-dialog';
import { ScrapeTargetRow } from './scrape-target-row';
import type { Environment } from './types';

export function ScrapeTargetsCard({
  service,
  environments,
  canEdit,
  refreshMs,
}: {
  service: { id: string; slug: string };
  environments: Environment[];
  canEdit: boolean;
  refreshMs: number;
}) {
  const trpc = useTRPC();
  const list = useSuspenseQuery(
    trpc.scrapeTargets.list.queryOptions({ service: service.slug }, { refetchInterval: refreshMs }),
  );
  const targets = list.data;
  return (
    <TableCard
      title="Scrape targets"
      description="Prometheus endpoints pulled on an interval into this service's metrics."
      action={canEdit ? <ScrapeTargetDialog service={service.id} environments={environments} /> : null}
      columns={[
        { label: 'Endpoint' },
        { label: 'Interval' },
        { label: 'State' },
        { label: 'Samples', right: true },
        { label: 'Last scrape' },
        { label: 'Error' },
      ]}
      rowActions={canEdit}
      rows={targets.length}
      empty="No scrape targets yet."
      toolbar={<RefreshError queries={[list]} />}
      testId="scrape-targets"
    >
      {targets.map((t) => (
        <ScrapeTargetRow
          key={t.id}
          target={t}
          service={service}
          environments={environments}
          canEdit={canEdit}
        />
      ))}
    </TableCard>
  );
}
