'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { CreateServiceDialog } from './create-service-dialog';
import { readFilters, toListInput, toSearch } from './filters';
import { Pager } from './pager';
import { ServiceFilterForm } from './service-filters';
import { ServiceRow } from './service-row';

/** Fast enough to notice an outage while the page is open, cheap for the API. */
const REFRESH_MS = 10_000;

export function ServicesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const { filters, search, apply, navigating } = useUrlFilters(readFilters, toSearch);
  const services = useSuspenseQuery(
    trpc.services.list.queryOptions(toListInput(filters), { refetchInterval: REFRESH_MS }),
  );
  const filtered = !!(filters.search || filters.tier);

  return (
    <ConsolePage
      title="Services"
      description="Everything your teams run, its live state and 90 days of uptime. Refreshes every 10 s."
      action={roleAtLeast(role, 'maintainer') ? <CreateServiceDialog role={role} /> : null}
      refreshed={[services]}
    >
      <TableCard
        columns={[
          { label: 'Status' },
          { label: 'Service' },
          { label: 'Tier' },
          { label: 'Owner' },
          { label: 'Uptime, 90 days' },
          { label: 'p95, 24 h', right: true },
        ]}
        rows={services.data.items.length}
        empty={filtered ? 'No services match these filters.' : 'No services yet.'}
        toolbar={<ServiceFilterForm key={search} filters={filters} onApply={apply} />}
        footer={<Pager filters={filters} total={services.data.total} pageSize={services.data.pageSize} />}
        busy={navigating}
        testId="services"
      >
        {services.data.items.map((s) => (
          <ServiceRow key={s.id} service={s} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
