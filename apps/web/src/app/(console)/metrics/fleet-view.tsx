'use client';

import { TableHead } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { FleetEmpty } from './fleet-empty';
import { FleetRow } from './fleet-row';
import { DEFAULT_SORT, sortFleet } from './fleet-sort';
import { RangeControls } from './range-controls';
import { SortHeader } from './sort-header';
import { useLiveWindow } from './use-live-window';

/** Every service × environment with metrics, worst first, linking to its dashboard. */
export function FleetView({ now }: { now: number }) {
  const trpc = useTRPC();
  const liveWindow = useLiveWindow(now);
  const [sort, setSort] = useState(DEFAULT_SORT);
  const fleet = useSuspenseQuery(
    trpc.metrics.fleet.queryOptions({ from: liveWindow.window.from, to: liveWindow.window.to }),
  );
  const rows = useMemo(() => sortFleet(fleet.data, sort), [fleet.data, sort]);

  return (
    <ConsolePage
      title="Metrics"
      description="Request rate, error rate and p95 latency of every service and environment, worst first."
      action={<RangeControls live={liveWindow} />}
      refreshed={[fleet]}
    >
      <TableCard
        title="Fleet"
        description="Averages over the range; click a column to sort, a service for its charts."
        head={
          <>
            <SortHeader label="Service" column="service" sort={sort} onSort={setSort} />
            <TableHead>Environment</TableHead>
            <SortHeader
              label="Requests/s"
              column="requestsPerSec"
              sort={sort}
              onSort={setSort}
              align="right"
            />
            <SortHeader label="Error rate" column="errorRatio" sort={sort} onSort={setSort} align="right" />
            <SortHeader label="p95" column="p95Seconds" sort={sort} onSort={setSort} align="right" />
          </>
        }
        rows={rows.length}
        empty={<FleetEmpty />}
        busy={liveWindow.navigating}
        testId="fleet"
      >
        {rows.map((r) => (
          <FleetRow key={`${r.service}/${r.environment}`} row={r} range={liveWindow.range} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}
