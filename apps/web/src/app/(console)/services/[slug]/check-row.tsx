'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { ProbeErrorCell } from '~/components/probe-error';
import { RelativeTime } from '~/components/relative-time';
import { StatusBadge } from '~/components/status-badge';
import { formatLatency, humanSeconds } from '~/lib/monitoring';
import { useNow } from '~/lib/now';
import { CheckDialog } from './check-dialog';
import { checkTarget } from './check-form';
import { MonitorActionsCell } from './monitor-actions';
import type { Check, Environment } from './types';

const TLS_WARN_DAYS = 14;

/** A warning while the certificate has under two weeks left; nothing before hydration (no clock yet). */
function TlsExpiry({ at }: { at: Date | null }) {
  const now = useNow();
  if (!at || now === null) return null;
  const days = Math.floor((at.getTime() - now) / 86_400_000);
  if (days >= TLS_WARN_DAYS) return null;
  return (
    <Badge
      tone={days < 0 ? 'danger' : 'warning'}
      title={`Certificate expires ${at.toLocaleString()}`}
      data-testid="tls-expiry"
    >
      {days < 0 ? 'TLS expired' : `TLS expires in ${days} d`}
    </Badge>
  );
}

export function CheckRow({
  check: c,
  service,
  environments,
  canEdit,
}: {
  check: Check;
  service: string;
  environments: Environment[];
  canEdit: boolean;
}) {
  const env = environments.find((e) => e.id === c.environmentId);
  return (
    <TableRow data-testid="check-row" data-name={c.name} className="align-top">
      <TableCell>
        <div className="font-medium">{c.name}</div>
        <div className="flex flex-wrap gap-1 pt-1">
          <Badge tone="info">{c.kind.toUpperCase()}</Badge>
          {c.paused ? <Badge data-testid="check-paused">Paused</Badge> : null}
          <TlsExpiry at={c.tlsExpiresAt} />
        </div>
      </TableCell>
      <TableCell className="max-w-72 break-all font-mono text-xs">{checkTarget(c)}</TableCell>
      <TableCell className="text-sm">{env?.name ?? '—'}</TableCell>
      <TableCell className="whitespace-nowrap text-sm">every {humanSeconds(c.intervalSeconds)}</TableCell>
      <TableCell>
        <StatusBadge status={c.status} data-testid="check-status" />
      </TableCell>
      <TableCell className="whitespace-nowrap text-right tabular-nums" data-testid="check-latency">
        {formatLatency(c.lastLatencyMs)}
      </TableCell>
      <TableCell className="text-sm">
        <RelativeTime value={c.lastRunAt} fallback="never" />
      </TableCell>
      <ProbeErrorCell error={c.lastError} testId="check-error" />
      {canEdit ? (
        <MonitorActionsCell
          kind="check"
          monitor={c}
          edit={<CheckDialog service={service} check={c} environments={environments} />}
        />
      ) : null}
    </TableRow>
  );
}
