import { TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { RelativeTime } from '~/components/relative-time';
import { StatusBadge } from '~/components/status-badge';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';

type Overview = RouterOutputs['overview']['get'];

function counted(counts: Overview['counts']): string {
  const parts = (['down', 'degraded', 'unknown', 'up'] as const).map((s) => `${counts[s]} ${s}`);
  return `${parts.join(' · ')}. Not up first.`;
}

/** Every service with its worst current state, as the API ranks them: down, degraded, unknown, up. */
export function ServicesByStateCard({ overview }: { overview: Overview }) {
  return (
    <TableCard
      title="Services by state"
      description={counted(overview.counts)}
      columns={[{ label: 'Service' }, { label: 'State' }, { label: 'Monitors down' }, { label: 'Tier' }]}
      rows={overview.services.length}
      empty="No services yet."
      testId="services-by-state"
    >
      {overview.services.map((s) => (
        <TableRow key={s.id} data-testid="service-state-row">
          <TableCell>
            <Link href={`/services/${s.slug}`} className="font-medium hover:underline">
              {s.name}
            </Link>
          </TableCell>
          <TableCell>
            <StatusBadge status={s.status.status} />
          </TableCell>
          <TableCell className="tabular-nums">
            {s.status.down} of {s.status.monitors}
          </TableCell>
          <TableCell className="text-sm text-muted-foreground">{s.tier}</TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}

/** The latest state changes of any check or heartbeat. */
export function RecentChangesCard({ events }: { events: Overview['events'] }) {
  return (
    <TableCard
      title="Recent state changes"
      description="Checks and heartbeats of every service, newest first."
      columns={[
        { label: 'When' },
        { label: 'Service' },
        { label: 'Monitor' },
        { label: 'Change' },
        { label: 'Cause' },
      ]}
      rows={events.length}
      empty="No state changes yet."
      testId="state-changes"
    >
      {events.map((e) => (
        <TableRow key={e.id} data-testid="state-change-row">
          <TableCell className="text-sm">
            <RelativeTime value={e.at} />
          </TableCell>
          <TableCell>
            <Link href={`/services/${e.service.slug}`} className="hover:underline">
              {e.service.name}
            </Link>
          </TableCell>
          <TableCell className="text-sm">{e.monitor ?? '—'}</TableCell>
          <TableCell className="whitespace-nowrap">
            <StatusBadge status={e.from} /> → <StatusBadge status={e.to} />
          </TableCell>
          <TableCell className="max-w-xs truncate text-sm text-muted-foreground" title={e.cause ?? undefined}>
            {e.cause ?? '—'}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
