'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { TableCard } from '~/components/table-card';
import { LocalTime } from '~/lib/local-time';
import { DELIVERY_STATE_TONE, integrationLabel, notificationsHref } from '~/lib/notifications';
import { useTRPC } from '~/trpc/react';
import { LIVE_MS } from '../filters';

/** Where this alert's notifications went: each tick that looked at it, per integration what was decided and sent. */
export function NotificationsCard({ fingerprint }: { fingerprint: string }) {
  const trpc = useTRPC();
  const ticks = useSuspenseQuery(
    trpc.notifications.forAlert.queryOptions({ fingerprint }, { refetchInterval: LIVE_MS }),
  );
  const rows = ticks.data.flatMap((t) =>
    t.decisions.length === 0
      ? [{ t, d: null }]
      : t.decisions.map((d): { t: typeof t; d: typeof d | null } => ({ t, d })),
  );
  return (
    <TableCard
      title="Notifications"
      description={
        <>
          Every tick that included this alert, newest first: the receiver, each integration's decision and
          what became of the message. All groups on the{' '}
          <Link className="underline" href={notificationsHref()}>
            Notifications
          </Link>{' '}
          page.
        </>
      }
      columns={[
        { label: 'Tick' },
        { label: 'Alert was' },
        { label: 'Receiver' },
        { label: 'Integration' },
        { label: 'Decision' },
        { label: 'Delivery' },
      ]}
      rows={rows.length}
      empty="No notification tick has included this alert yet."
      testId="alert-notifications"
    >
      {rows.map(({ t, d }) => (
        <TableRow key={`${t.id}-${d?.integrationId ?? 'none'}`} data-testid="alert-notification-row">
          <TableCell className="text-sm">
            <LocalTime value={t.tickAt} />
          </TableCell>
          <TableCell className="text-xs">{t.status}</TableCell>
          <TableCell className="text-sm">{t.receiver?.name ?? '—'}</TableCell>
          <TableCell className="text-xs">{d ? integrationLabel(d.kind, null) : '—'}</TableCell>
          <TableCell className="text-xs">
            {d ? `${d.notify ? 'sent' : 'not sent'} · ${d.reason}` : '—'}
          </TableCell>
          <TableCell>
            {d?.delivery ? (
              <Badge tone={DELIVERY_STATE_TONE[d.delivery.state]} data-testid="delivery-state">
                {d.delivery.state}
                {d.delivery.attempts > 1 ? ` after ${d.delivery.attempts} attempts` : ''}
              </Badge>
            ) : (
              <span className="text-xs text-muted-foreground">—</span>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
