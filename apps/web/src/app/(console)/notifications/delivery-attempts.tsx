'use client';

import { useQuery } from '@tanstack/react-query';
import { LabelChips } from '~/components/label-chips';
import { LocalTime } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

/** Every attempt of one delivery: when, how long, how it was classed, the remote's status and Retry-After. */
export function DeliveryAttempts({ id }: { id: string }) {
  const trpc = useTRPC();
  const delivery = useQuery(trpc.notifications.delivery.queryOptions({ id }));
  if (delivery.error) return <p className="text-sm text-destructive">{delivery.error.message}</p>;
  if (!delivery.data) return <p className="text-sm text-muted-foreground">Loading…</p>;
  const d = delivery.data;
  return (
    <div className="flex flex-col gap-3" data-testid="delivery-detail">
      <p className="text-xs text-muted-foreground">
        Sequence {d.sequence} · {d.endpoint} · {d.alerts.length} alert{d.alerts.length === 1 ? '' : 's'}
        {d.truncatedAlerts > 0 ? ` (+${d.truncatedAlerts} cut)` : ''}
      </p>
      <ul className="flex flex-col gap-1 text-xs">
        {d.alerts.map((a) => (
          <li key={a.fingerprint} className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{a.status}</span>
            <LabelChips labels={a.labels} />
          </li>
        ))}
      </ul>
      {d.attempts.length === 0 ? (
        <p className="text-xs text-muted-foreground">Not attempted yet.</p>
      ) : (
        <table className="text-xs" data-testid="attempts">
          <thead className="text-left text-muted-foreground">
            <tr>
              <th className="pr-4 font-medium">#</th>
              <th className="pr-4 font-medium">At</th>
              <th className="pr-4 font-medium">Took</th>
              <th className="pr-4 font-medium">Outcome</th>
              <th className="pr-4 font-medium">Remote status</th>
              <th className="pr-4 font-medium">Retry-After</th>
              <th className="font-medium">Error</th>
            </tr>
          </thead>
          <tbody>
            {d.attempts.map((a) => (
              <tr key={a.attempt} data-testid="attempt-row" data-outcome={a.outcome}>
                <td className="pr-4">{a.attempt}</td>
                <td className="pr-4">
                  <LocalTime value={a.at} />
                </td>
                <td className="pr-4">{a.durationMs === null ? '—' : `${Math.round(a.durationMs)} ms`}</td>
                <td className="pr-4">{a.outcome}</td>
                <td className="pr-4 font-mono">{a.status ?? '—'}</td>
                <td className="pr-4">{a.retryAfterMs === null ? '—' : `${a.retryAfterMs / 1_000} s`}</td>
                <td className="text-muted-foreground">{a.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
