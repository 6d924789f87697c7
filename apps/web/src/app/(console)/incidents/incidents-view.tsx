'use client';

import { INCIDENT_SEVERITIES } from '@sextant/db/enums';
import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, Select, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { LinkTabs } from '~/components/link-tabs';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { formatMs, SEVERITY_TONE, STATUS_LABEL, STATUS_TONE } from '~/lib/incidents';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useUrlFilters } from '~/lib/use-url-filters';
import { useTRPC } from '~/trpc/react';
import { type IncidentStateFilter, readFilters, toListInput, toSearch } from './filters';

type Incident = RouterOutputs['incidents']['list']['items'][number];

const TABS: { state: IncidentStateFilter; label: string }[] = [
  { state: 'open', label: 'Open' },
  { state: 'resolved', label: 'Resolved' },
  { state: 'all', label: 'All' },
];

export function IncidentsView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const { filters, apply, navigating } = useUrlFilters(readFilters, toSearch);
  const incidents = useSuspenseQuery(trpc.incidents.list.queryOptions(toListInput(filters)));
  const items = incidents.data.items;

  return (
    <ConsolePage
      title="Incidents"
      description="What is broken, how badly, who leads the response and what has been said about it."
      action={
        roleAtLeast(role, 'maintainer') ? (
          <Button asChild>
            <Link href="/incidents/new">Declare incident</Link>
          </Button>
        ) : null
      }
      refreshed={[incidents]}
    >
      <TableCard
        columns={[
          { label: 'Title' },
          { label: 'Severity' },
          { label: 'Status' },
          { label: 'Started' },
          { label: 'To acknowledge' },
          { label: 'To resolve' },
          { label: 'Services', right: true },
        ]}
        rows={items.length}
        empty={['No', filters.state === 'all' ? null : filters.state, filters.severity, 'incidents.']
          .filter(Boolean)
          .join(' ')}
        busy={navigating}
        testId="incidents"
        toolbar={
          <div className="flex flex-wrap items-center justify-between gap-3">
            <LinkTabs
              label="Incident state"
              tabs={TABS.map((t) => ({
                href: toSearch({ ...filters, state: t.state }),
                label: t.label,
                current: filters.state === t.state,
              }))}
            />
            <Select
              aria-label="Severity"
              className="w-40"
              value={filters.severity ?? ''}
              onChange={(e) =>
                apply({ ...filters, severity: (e.target.value || undefined) as typeof filters.severity })
              }
            >
              <option value="">Any severity</option>
              {INCIDENT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </div>
        }
        footer={
          incidents.data.nextCursor ? (
            <p className="text-xs text-muted-foreground">
              The newest {items.length} are shown; narrow the filters to see older ones.
            </p>
          ) : null
        }
      >
        {items.map((i) => (
          <IncidentRow key={i.id} incident={i} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function IncidentRow({ incident: i }: { incident: Incident }) {
  return (
    <TableRow data-testid="incident-row" data-id={i.id} data-status={i.status}>
      <TableCell className="max-w-sm">
        <Link href={`/incidents/${i.id}`} className="font-medium hover:underline">
          {i.title}
        </Link>
      </TableCell>
      <TableCell>
        <Badge tone={SEVERITY_TONE[i.severity]}>{i.severity}</Badge>
      </TableCell>
      <TableCell>
        <Badge tone={STATUS_TONE[i.status]}>{STATUS_LABEL[i.status]}</Badge>
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={i.startedAt} />
      </TableCell>
      <TableCell className="text-sm tabular-nums">{formatMs(i.timeToAcknowledgeMs)}</TableCell>
      <TableCell className="text-sm tabular-nums">{formatMs(i.timeToResolveMs)}</TableCell>
      <TableCell className="text-right text-sm tabular-nums">{i.affectedServices}</TableCell>
    </TableRow>
  );
}
