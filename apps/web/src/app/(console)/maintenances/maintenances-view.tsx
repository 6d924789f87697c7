'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Button, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { LinkTabs } from '~/components/link-tabs';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { LocalTime } from '~/lib/local-time';
import { describeRrule, type MaintenanceState, STATE_LABEL } from '~/lib/maintenances';
import type { RouterOutputs } from '~/lib/router-types';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { CancelMaintenanceButton } from './cancel-button';
import { readState, toSearch } from './filters';

type Row = RouterOutputs['maintenances']['list'][number];

export function MaintenancesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const { filters, navigating } = useUrlFilters(readState, toSearch);
  const list = useSuspenseQuery(trpc.maintenances.list.queryOptions(filters));
  const canEdit = roleAtLeast(role, 'maintainer');
  // Past windows are history: nothing to edit or cancel.
  const actions = canEdit && filters.state !== 'past';
  return (
    <ConsolePage
      title="Maintenance"
      description="Planned windows: affected services are shown as under maintenance, their alerts muted and their downtime left out of uptime."
      action={
        canEdit ? (
          <Button asChild>
            <Link href="/maintenances/new">Schedule maintenance</Link>
          </Button>
        ) : null
      }
      refreshed={[list]}
    >
      <TableCard
        columns={[
          { label: 'Title' },
          {
            label:
              filters.state === 'active' ? 'Running' : filters.state === 'past' ? 'Series ended' : 'Next',
          },
          { label: 'Recurrence' },
          { label: 'Affects' },
        ]}
        rowActions={actions}
        rows={list.data.length}
        empty={`No ${STATE_LABEL[filters.state].toLowerCase()} maintenance.`}
        busy={navigating}
        testId="maintenances"
        toolbar={
          <LinkTabs
            label="Maintenance state"
            tabs={(Object.keys(STATE_LABEL) as MaintenanceState[]).map((s) => ({
              href: toSearch({ state: s }),
              label: STATE_LABEL[s],
              current: filters.state === s,
            }))}
          />
        }
      >
        {list.data.map((m) => (
          <MaintenanceRow key={m.id} m={m} actions={actions} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function MaintenanceRow({ m, actions }: { m: Row; actions: boolean }) {
  return (
    <TableRow data-testid="maintenance-row" data-id={m.id}>
      <TableCell className="max-w-sm">
        <Link href={`/maintenances/${m.id}`} className="font-medium hover:underline">
          {m.title}
        </Link>
        {m.cancelledAt ? <span className="ml-2 text-xs text-muted-foreground">cancelled</span> : null}
      </TableCell>
      <TableCell className="text-sm" data-testid="maintenance-next">
        {m.occurrence ? (
          <>
            <LocalTime value={m.occurrence.start} /> – <LocalTime value={m.occurrence.end} />
          </>
        ) : (
          <LocalTime value={m.cancelledAt ?? m.seriesEndsAt} />
        )}
      </TableCell>
      <TableCell className="text-sm" data-testid="maintenance-recurrence">
        {describeRrule(m.rrule)} <span className="text-muted-foreground">({m.timeZone})</span>
      </TableCell>
      <TableCell className="text-sm" data-testid="maintenance-targets">
        {m.targets.map((t) => `${t.serviceName} in ${t.environmentName}`).join(', ')}
      </TableCell>
      {actions ? (
        <TableCell className="text-right">
          <div className="flex justify-end gap-2">
            <Button asChild size="sm" variant="outline">
              <Link href={`/maintenances/${m.id}/edit`}>Edit</Link>
            </Button>
            <CancelMaintenanceButton id={m.id} title={m.title} />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
