'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { ROLLOUT_LIST, ROLLOUT_LIVE_MS } from './rollout-input';
import { ROLLOUT_STATE_LABEL, ROLLOUT_STATE_TONE, stateName, stepText } from './rollout-words';

const COLUMNS = ['Service', 'Environment', 'Target → stable', 'State', 'Step', 'Weight', 'Updated'].map(
  (label) => ({ label }),
);

/** Issue 16 point 5: every canary rollout, newest first, live. */
export function RolloutsView() {
  const trpc = useTRPC();
  const list = useSuspenseQuery(
    trpc.rollouts.list.queryOptions(ROLLOUT_LIST, { refetchInterval: ROLLOUT_LIVE_MS }),
  );
  return (
    <ConsolePage
      title="Rollouts"
      description="Canary rollouts, newest first: the release being rolled out, the one it replaces, where it stands and how much traffic it has."
      refreshed={[list]}
    >
      <TableCard
        testId="rollouts-table"
        columns={COLUMNS}
        rows={list.data.length}
        empty="No rollouts yet. Start one with rollouts.start or the sextant CLI."
      >
        {list.data.map((r) => {
          const state = stateName(r.state);
          return (
            <TableRow key={r.id} data-testid="rollout-row" data-service={r.service}>
              <TableCell className="font-medium">
                <Link href={`/rollouts/${r.id}`} className="hover:underline">
                  {r.service}
                </Link>
              </TableCell>
              <TableCell>{r.environment}</TableCell>
              <TableCell className="font-mono text-sm">
                {r.version} over {r.stableVersion ?? 'none'}
              </TableCell>
              <TableCell>
                <Badge tone={ROLLOUT_STATE_TONE[state]}>{ROLLOUT_STATE_LABEL[state]}</Badge>
              </TableCell>
              <TableCell className="tabular-nums">{stepText(r.stepIndex, r.stepCount)}</TableCell>
              <TableCell className="tabular-nums">{r.weight} %</TableCell>
              <TableCell>
                <RelativeTime value={r.updatedAt} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableCard>
    </ConsolePage>
  );
}
