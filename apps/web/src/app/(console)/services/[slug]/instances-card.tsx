'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { RefreshError } from '~/components/refresh-error';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';

/** Instances that registered through service discovery and have not missed their TTL. */
export function InstancesCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const instances = useSuspenseQuery(
    trpc.discovery.list.queryOptions({ service }, { refetchInterval: refreshMs }),
  );
  const rows = instances.data;
  return (
    <TableCard
      title="Live instances"
      description="Registered through discovery; gone once they stop heartbeating."
      columns={[{ label: 'Address' }, { label: 'Env' }, { label: 'Version' }, { label: 'Last heartbeat' }]}
      rows={rows.length}
      empty="No live instances."
      toolbar={<RefreshError queries={[instances]} />}
      testId="instances"
    >
      {rows.map((i) => (
        <TableRow key={i.id} data-testid="instance-row">
          <TableCell className="font-mono text-xs">
            {i.host}:{i.port}
          </TableCell>
          <TableCell className="text-sm">{i.environment}</TableCell>
          <TableCell className="font-mono text-xs">{i.version ?? '—'}</TableCell>
          <TableCell className="text-sm">
            <RelativeTime value={i.lastHeartbeatAt} />
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
