'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { RefreshError } from '~/components/refresh-error';
import { TableCard } from '~/components/table-card';
import { LocalTime } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { TIMELINE_INPUT } from './types';

const TONE = {
  queued: 'neutral',
  in_progress: 'info',
  succeeded: 'success',
  failed: 'danger',
  rolled_back: 'warning',
} as const;

/** Issue 16 point 3: the service's deployment timeline, newest first: version, environment, state, who, when. */
export function DeploymentsCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const timeline = useSuspenseQuery(
    trpc.deployments.timeline.queryOptions(TIMELINE_INPUT(service), { refetchInterval: refreshMs }),
  );
  return (
    <TableCard
      title="Deployments"
      description={
        <>
          Newest first, in every environment; the charts mark them too.{' '}
          <Link href="/releases" className="text-primary hover:underline">
            Release board
          </Link>
        </>
      }
      columns={[
        { label: 'Version' },
        { label: 'Environment' },
        { label: 'State' },
        { label: 'Who' },
        { label: 'When' },
      ]}
      rows={timeline.data.length}
      empty="No deployments reported yet."
      testId="deployments-timeline"
      toolbar={<RefreshError queries={[timeline]} />}
    >
      {timeline.data.map((d) => (
        <TableRow key={d.id} data-testid="deployment-row">
          <TableCell className="font-mono text-sm">{d.version}</TableCell>
          <TableCell>{d.environment}</TableCell>
          <TableCell>
            <Badge tone={TONE[d.state]}>{d.state.replace('_', ' ')}</Badge>
            {d.approval === 'pending' ? <span className="ml-2 text-xs">awaiting approval</span> : null}
            {d.override ? <span className="ml-2 text-xs">override</span> : null}
          </TableCell>
          <TableCell className="text-sm">{d.who ?? '—'}</TableCell>
          <TableCell className="text-sm">
            <LocalTime value={d.at} />
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
