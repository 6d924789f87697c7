'use client';

import type { WorkItemStatus } from '@sextant/db/enums';
import { Badge } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

export type Item = RouterOutputs['workItems']['list']['items'][number];
export type Milestone = RouterOutputs['milestones']['list'][number];
export type Person = RouterOutputs['users']['directory'][number];

export const STATUS_LABEL: Record<WorkItemStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
const STATUS_TONE = { todo: 'neutral', in_progress: 'info', done: 'success', cancelled: 'warning' } as const;

export function StatusBadge({ status }: { status: WorkItemStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}

/** "a, b; c" → ["a", "b", "c"]: labels cannot hold `;` (the CSV separator), commas read as separators too. */
export const parseLabels = (text: string) =>
  text
    .split(/[,;|]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** A linked release by its version; fetched per release (few items link one) and cached by id. */
export function ReleaseName({ id }: { id: string }) {
  const trpc = useTRPC();
  const release = useQuery(trpc.releases.get.queryOptions({ id }, { staleTime: 60_000 }));
  return <span data-testid="item-release">{release.data?.version ?? '…'}</span>;
}
