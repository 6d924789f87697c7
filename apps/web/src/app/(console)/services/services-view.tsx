'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Card, CardContent, Table, TableBody, TableHead, TableHeader, TableRow } from '@sextant/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useTransition } from 'react';
import { useTRPC } from '~/trpc/react';
import { CreateServiceDialog } from './create-service-dialog';
import { readFilters, type ServiceFilters, toListInput, toSearch } from './filters';
import { Pager } from './pager';
import { ServiceFilterForm } from './service-filters';
import { ServiceRow } from './service-row';

/** Fast enough to notice an outage while the page is open, cheap for the API. */
const REFRESH_MS = 10_000;

export function ServicesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startTransition] = useTransition();
  const search = searchParams.toString();
  const filters = useMemo(() => readFilters((key) => new URLSearchParams(search).get(key)), [search]);
  const services = useQuery(
    trpc.services.list.queryOptions(toListInput(filters), {
      refetchInterval: REFRESH_MS,
      placeholderData: keepPreviousData,
    }),
  );
  const filtered = !!(filters.search || filters.tier);

  // Filters live in the URL so a filtered view can be shared or bookmarked.
  function apply(next: ServiceFilters) {
    startTransition(() => router.push(`${pathname}${toSearch(next)}`, { scroll: false }));
  }

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Services</h1>
          <p className="text-sm text-muted-foreground">
            Everything your teams run, its live state and 90 days of uptime. Refreshes every 10 s.
          </p>
        </div>
        {roleAtLeast(role, 'maintainer') ? <CreateServiceDialog role={role} /> : null}
      </div>

      <Card aria-busy={services.isFetching || navigating} className={navigating ? 'opacity-60' : undefined}>
        <CardContent className="flex flex-col gap-4 pt-5">
          <ServiceFilterForm key={search} filters={filters} onApply={apply} />
          {services.error && !services.data ? (
            <p role="alert" className="text-sm text-destructive">
              {services.error.message}
            </p>
          ) : !services.data ? (
            <p className="text-sm text-muted-foreground">Loading…</p>
          ) : services.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              {filtered ? 'No services match these filters.' : 'No services yet.'}
            </p>
          ) : (
            <Table data-testid="services">
              <TableHeader>
                <TableRow>
                  <TableHead>Status</TableHead>
                  <TableHead>Service</TableHead>
                  <TableHead>Tier</TableHead>
                  <TableHead>Owner</TableHead>
                  <TableHead>Uptime, 90 days</TableHead>
                  <TableHead className="text-right">p95, 24 h</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {services.data.items.map((s) => (
                  <ServiceRow key={s.id} service={s} />
                ))}
              </TableBody>
            </Table>
          )}
          {services.data ? (
            <Pager filters={filters} total={services.data.total} pageSize={services.data.pageSize} />
          ) : null}
          {services.error && services.data ? (
            <p role="alert" className="text-sm text-destructive">
              {services.error.message}
            </p>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
