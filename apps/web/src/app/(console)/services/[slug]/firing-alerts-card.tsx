'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { AlertStateBadge } from '~/components/alert-state-badge';
import { LabelChips } from '~/components/label-chips';
import { RefreshError } from '~/components/refresh-error';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import { alertHref } from '~/lib/alerts';
import { useTRPC } from '~/trpc/react';

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
          <TableCell className="flex flex-col gap-1">
            <Link
              className="font-medium hover:underline"
              href={alertHref({ fingerprint: a.fingerprint, ruleId: a.rule?.id })}
            >
              {a.labels.alertname ?? a.fingerprint}
            </Link>
            <LabelChips labels={a.labels} omit={['alertname', 'service']} />
          </TableCell>
          <TableCell className="text-sm">
            <RelativeTime value={a.since} />
          </TableCell>
          <TableCell className="font-mono text-xs">{a.value ?? '—'}</TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
