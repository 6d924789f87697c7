'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { AlertStateBadge } from '~/components/alert-state-badge';
import { RefreshError } from '~/components/refresh-error';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { AlertNameCell } from '../../alerts/alert-row';

/** The service's firing alerts: its rules' and those labelled `service="<slug>"`. */
export function FiringAlertsCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const alerts = useSuspenseQuery(
    trpc.alerts.forService.queryOptions({ service }, { refetchInterval: refreshMs }),
  );
  const rows = alerts.data.items;
  return (
    <TableCard
      title="Firing alerts"
      description={
        <>
          Its rules' alerts and alerts labelled <code>service="{service}"</code>.{' '}
          <Link className="underline" href={`/alerts?service=${encodeURIComponent(service)}`}>
            All of its alerts
          </Link>
        </>
      }
      columns={[{ label: 'State' }, { label: 'Alert' }, { label: 'Since' }, { label: 'Value' }]}
      rows={rows.length}
      empty="Nothing is firing."
      toolbar={<RefreshError queries={[alerts]} />}
      testId="service-alerts"
    >
      {rows.map((a) => (
        <TableRow key={a.id} data-testid="service-alert-row" data-alertname={a.labels.alertname}>
          <TableCell>
            <AlertStateBadge state={a.state} />
          </TableCell>
          <AlertNameCell alert={a} omit={['alertname', 'service']} />
          <TableCell className="text-sm">
            <RelativeTime value={a.since} />
          </TableCell>
          <TableCell className="font-mono text-xs">{a.value ?? '—'}</TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
