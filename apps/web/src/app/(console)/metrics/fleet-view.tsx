'use client';

import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Table,
  TableBody,
  TableHead,
  TableHeader,
  TableRow,
} from '@sextant/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { FleetEmpty } from './fleet-empty';
import { FleetRow } from './fleet-row';
import { DEFAULT_SORT, sortFleet } from './fleet-sort';
import { RangePicker } from './range-picker';
import { RefreshToggle } from './refresh-toggle';
import { SortHeader } from './sort-header';
import { useLiveWindow } from './use-live-window';

/** Every service × environment with metrics, worst first, linking to its dashboard. */
export function FleetView({ now }: { now: number }) {
  const trpc = useTRPC();
  const { range, window, paused, setPaused, setRange, navigating } = useLiveWindow(now);
  const [sort, setSort] = useState(DEFAULT_SORT);
  const fleet = useQuery(
    trpc.metrics.fleet.queryOptions(
      { from: window.from, to: window.to },
      { placeholderData: keepPreviousData },
    ),
  );
  const rows = useMemo(() => sortFleet(fleet.data ?? [], sort), [fleet.data, sort]);

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Metrics</h1>
          <p className="text-sm text-muted-foreground">
            Request rate, error rate and p95 latency of every service and environment, worst first.
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <RangePicker range={range} onChange={setRange} />
          <RefreshToggle
            relative={range.kind === 'relative'}
            paused={paused}
            onToggle={() => setPaused((p) => !p)}
          />
        </div>
      </div>

      <Card
        aria-busy={fleet.isFetching || navigating}
        className={navigating || fleet.isPlaceholderData ? 'opacity-60' : undefined}
      >
        <CardHeader>
          <CardTitle>Fleet</CardTitle>
          <CardDescription>
            Averages over the range; click a column to sort, a service for its charts.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {fleet.error && !fleet.data ? (
            <p role="alert" className="text-sm text-destructive">
              {fleet.error.message}
            </p>
          ) : !fleet.data ? (
            <p className="text-sm text-muted-foreground">Loading…</p>
          ) : rows.length === 0 ? (
            <FleetEmpty />
          ) : (
            <Table data-testid="fleet">
              <TableHeader>
                <TableRow>
                  <SortHeader label="Service" column="service" sort={sort} onSort={setSort} />
                  <TableHead>Environment</TableHead>
                  <SortHeader
                    label="Requests/s"
                    column="requestsPerSec"
                    sort={sort}
                    onSort={setSort}
                    align="right"
                  />
                  <SortHeader
                    label="Error rate"
                    column="errorRatio"
                    sort={sort}
                    onSort={setSort}
                    align="right"
                  />
                  <SortHeader label="p95" column="p95Seconds" sort={sort} onSort={setSort} align="right" />
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <FleetRow key={`${r.service}/${r.environment}`} row={r} range={range} />
                ))}
              </TableBody>
            </Table>
          )}
          {fleet.error && fleet.data ? (
            <p role="alert" className="mt-2 text-sm text-destructive">
              {fleet.error.message}
            </p>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
