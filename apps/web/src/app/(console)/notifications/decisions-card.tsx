'use client';

import { TICK_DECISIONS, type TickDecision } from '@sextant/trpc/schemas';
import { Button, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { LabelChips } from '~/components/label-chips';
import { RefreshError } from '~/components/refresh-error';
import { TableCard } from '~/components/table-card';
import { LocalTime } from '~/lib/local-time';
import { NOTIFY_LIVE_MS } from '~/lib/notifications';
import { useTRPC } from '~/trpc/react';
import { DecisionChips } from './decision-chips';
import { type NotifyFilters, ticksInput } from './tabs';
import { TickDetail } from './tick-detail';

const DECISION_LABEL: Record<TickDecision, string> = {
  notified: 'Sent',
  not_notified: 'Not sent',
  suppressed: 'With suppressed alerts',
};

/** Every tick decision, newest first; a row opens "why (not) sent". */
export function DecisionsCard({
  filters,
  onApply,
  busy,
}: {
  filters: NotifyFilters;
  onApply: (f: NotifyFilters) => void;
  busy: boolean;
}) {
  const trpc = useTRPC();
  const ticks = useSuspenseInfiniteQuery(
    trpc.notifications.ticks.infiniteQueryOptions(ticksInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
      refetchInterval: NOTIFY_LIVE_MS,
    }),
  );
  const items = ticks.data.pages.flatMap((p) => p.items);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <TableCard
      title="Decisions"
      description="Each flush of each group: per integration whether it was sent and why, over the last 7 days."
      columns={[
        { label: 'Tick' },
        { label: 'Group' },
        { label: 'Receiver' },
        { label: 'Alerts' },
        { label: 'Decision' },
      ]}
      rowActions
      rows={items.length}
      empty={filters.decision ? 'No decisions match this filter.' : 'No tick decisions yet.'}
      busy={busy}
      testId="tick-decisions"
      toolbar={
        <div className="flex flex-col gap-2">
          <RefreshError queries={[ticks]} />
          <nav aria-label="Decision" className="flex flex-wrap gap-1 text-sm">
            {[undefined, ...TICK_DECISIONS].map((d) => (
              <Button
                key={d ?? 'all'}
                size="sm"
                variant={filters.decision === d ? 'default' : 'outline'}
                onClick={() => onApply({ tab: 'decisions', ...(d ? { decision: d } : {}) })}
              >
                {d ? DECISION_LABEL[d] : 'All'}
              </Button>
            ))}
          </nav>
        </div>
      }
      footer={
        ticks.hasNextPage ? (
          <Button
            variant="outline"
            className="self-start"
            disabled={ticks.isFetchingNextPage}
            onClick={() => ticks.fetchNextPage()}
          >
            {ticks.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        ) : null
      }
    >
      {items.map((t) => (
        <Fragment key={t.id}>
          <TableRow data-testid="tick-row">
            <TableCell className="text-sm">
              <LocalTime value={t.tickAt} />
            </TableCell>
            <TableCell>
              <LabelChips labels={t.groupLabels} />
            </TableCell>
            <TableCell className="text-sm">{t.receiver?.name ?? '—'}</TableCell>
            <TableCell className="text-xs">
              {t.firingCount} firing · {t.resolvedCount} resolved
              {t.suppressedCount > 0 ? ` · ${t.suppressedCount} suppressed` : ''}
            </TableCell>
            <TableCell>
              <DecisionChips decisions={t.decisions} />
            </TableCell>
            <TableCell className="text-right">
              <Button
                size="sm"
                variant="outline"
                aria-expanded={open === t.id}
                onClick={() => setOpen(open === t.id ? null : t.id)}
              >
                {open === t.id ? 'Hide' : 'Why'}
              </Button>
            </TableCell>
          </TableRow>
          {open === t.id ? (
            <TableRow>
              <TableCell colSpan={6} className="bg-muted/30">
                <TickDetail id={t.id} />
              </TableCell>
            </TableRow>
          ) : null}
        </Fragment>
      ))}
    </TableCard>
  );
}
