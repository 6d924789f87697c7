'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { RelativeTime } from '~/components/relative-time';
import { StatusBadge } from '~/components/status-badge';
import { formatRunTime, humanSeconds, scheduleText } from '~/lib/monitoring';
import { HeartbeatDialog } from './heartbeat-dialog';
import { MonitorActionsCell } from './monitor-actions';
import { PingUrlHint } from './ping-url';
import { RotatePingUrlButton } from './rotate-ping-url';
import type { Environment, Heartbeat } from './types';

export function HeartbeatRow({
  heartbeat: h,
  service,
  environments,
  canEdit,
  pingBase,
}: {
  heartbeat: Heartbeat;
  service: string;
  environments: Environment[];
  canEdit: boolean;
  pingBase: string;
}) {
  const env = environments.find((e) => e.id === h.environmentId);
  return (
    <>
      <TableRow
        data-testid="heartbeat-row"
        data-name={h.name}
        className={canEdit ? 'border-b-0 hover:bg-transparent' : undefined}
      >
        <TableCell>
          <div className="font-medium">{h.name}</div>
          <div className="flex flex-wrap gap-1 pt-1">
            {env ? <Badge tone="info">{env.name}</Badge> : null}
            {h.paused ? <Badge>Paused</Badge> : null}
          </div>
        </TableCell>
        <TableCell>
          <StatusBadge status={h.status} data-testid="heartbeat-status" />
        </TableCell>
        <TableCell className="text-sm">{scheduleText(h)}</TableCell>
        <TableCell className="whitespace-nowrap text-sm">{humanSeconds(h.graceSeconds)}</TableCell>
        <TableCell className="text-sm">
          <RelativeTime value={h.lastPingAt} fallback="never" />
        </TableCell>
        <TableCell className="whitespace-nowrap text-sm tabular-nums">
          {formatRunTime(h.lastDurationMs)}
        </TableCell>
        <TableCell className="text-sm">
          <RelativeTime value={h.paused ? null : h.nextDueAt} />
        </TableCell>
        {canEdit ? (
          <MonitorActionsCell
            kind="heartbeat"
            monitor={h}
            edit={
              <HeartbeatDialog
                service={service}
                heartbeat={h}
                environments={environments}
                pingBase={pingBase}
              />
            }
          />
        ) : null}
      </TableRow>
      {/* The token is the only credential a ping needs: stored as a hash, its prefix shown to maintainers only. */}
      {canEdit && h.tokenPrefix ? (
        <TableRow data-testid="heartbeat-ping" data-name={h.name}>
          <TableCell colSpan={8} className="pt-0">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <PingUrlHint base={pingBase} tokenPrefix={h.tokenPrefix} />
              <RotatePingUrlButton heartbeat={h} pingBase={pingBase} />
            </div>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}
