'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { LabelChips } from '~/components/label-chips';
import { RefreshError } from '~/components/refresh-error';
import { RelativeTime } from '~/components/relative-time';
import { TableCard } from '~/components/table-card';
import { LocalTime } from '~/lib/local-time';
import { DELIVERY_STATE_TONE, integrationLabel, NOTIFY_LIVE_MS } from '~/lib/notifications';
import { useTRPC } from '~/trpc/react';
import { DeliveryAttempts } from './delivery-attempts';
import { RetryButton } from './retry-button';
import { deliveriesInput, type NotifyFilters } from './tabs';

/** Outbox rows newest first, or only the dead letters; a row opens its attempts. */
export function DeliveriesCard({
  filters,
  role,
  busy,
}: {
  filters: NotifyFilters;
  role: Role;
  busy: boolean;
}) {
  const trpc = useTRPC();
  const dead = filters.tab === 'dead';
  const deliveries = useSuspenseInfiniteQuery(
    trpc.notifications.deliveries.infiniteQueryOptions(deliveriesInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
      refetchInterval: NOTIFY_LIVE_MS,
    }),
  );
  const items = deliveries.data.pages.flatMap((p) => p.items);
  const [open, setOpen] = useState<string | null>(null);
  const canRetry = roleAtLeast(role, 'maintainer');
  return (
    <TableCard
      title={dead ? 'Dead letters' : 'Deliveries'}
      description={
        dead
          ? 'Messages given up on: a permanent answer, or still failing at the maximum age. Retrying sends the same message again.'
          : 'Every message a tick enqueued, with its attempts and the remote answers, over the last 7 days.'
      }
      columns={[
        { label: 'Enqueued' },
        { label: 'Group' },
        { label: 'Receiver' },
        { label: 'Message' },
        { label: 'State' },
        { label: 'Attempts' },
        { label: 'Last answer' },
        { label: dead ? 'Dead since' : 'Next attempt' },
      ]}
      rowActions
      rows={items.length}
      empty={dead ? 'No dead letters.' : 'No deliveries yet.'}
      busy={busy}
      testId={dead ? 'dead-letters' : 'deliveries'}
      toolbar={<RefreshError queries={[deliveries]} />}
      footer={
        deliveries.hasNextPage ? (
          <Button
            variant="outline"
            className="self-start"
            disabled={deliveries.isFetchingNextPage}
            onClick={() => deliveries.fetchNextPage()}
          >
            {deliveries.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        ) : null
      }
    >
      {items.map((d) => (
        <Fragment key={d.id}>
          <TableRow data-testid="delivery-row" data-state={d.state}>
            <TableCell className="text-sm">
              <LocalTime value={d.createdAt} />
            </TableCell>
            <TableCell>
              <LabelChips labels={d.groupLabels ?? {}} />
            </TableCell>
            <TableCell className="text-sm">
              {d.receiver.name} · {integrationLabel(d.integration.kind, d.integration.position)}
            </TableCell>
            <TableCell className="text-xs">
              {d.status} · {d.reason} · {d.alertCount} alert{d.alertCount === 1 ? '' : 's'}
            </TableCell>
            <TableCell>
              <Badge tone={DELIVERY_STATE_TONE[d.state]} data-testid="delivery-state">
                {d.state}
              </Badge>
              {d.leased ? <span className="ml-1 text-xs text-muted-foreground">sending</span> : null}
            </TableCell>
            <TableCell className="text-sm" data-testid="delivery-attempts">
              {d.attempts}
            </TableCell>
            <TableCell className="text-xs">
              {d.lastStatus === null ? '' : <span className="font-mono">{d.lastStatus} </span>}
              <span className="text-muted-foreground">
                {d.lastError ?? (d.lastStatus === null ? '—' : '')}
              </span>
            </TableCell>
            <TableCell className="text-xs">
              {dead ? (
                <LocalTime value={d.deadAt} />
              ) : d.state === 'pending' ? (
                <RelativeTime value={d.nextAttemptAt} />
              ) : (
                '—'
              )}
            </TableCell>
            <TableCell className="text-right">
              <div className="flex justify-end gap-2">
                <Button
                  size="sm"
                  variant="outline"
                  aria-expanded={open === d.id}
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                >
                  {open === d.id ? 'Hide' : 'Attempts'}
                </Button>
                {canRetry && d.state === 'dead' ? <RetryButton id={d.id} receiver={d.receiver.name} /> : null}
              </div>
            </TableCell>
          </TableRow>
          {open === d.id ? (
            <TableRow>
              <TableCell colSpan={9} className="bg-muted/30">
                <DeliveryAttempts id={d.id} />
              </TableCell>
            </TableRow>
          ) : null}
        </Fragment>
      ))}
    </TableCard>
  );
}
