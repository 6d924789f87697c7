'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { StatusBadge } from '~/components/status-badge';
import { UptimeBars } from '~/components/uptime-bars';
import { formatLatency } from '~/lib/monitoring';
import type { RouterOutputs } from '~/lib/router-types';

export type ServiceListItem = RouterOutputs['services']['list']['items'][number];

const TIER_TONE = { critical: 'danger', standard: 'info', experimental: 'neutral' } as const;

export function ServiceRow({ service: s }: { service: ServiceListItem }) {
  const { status, monitors, down } = s.status;
  return (
    <TableRow data-testid="service-row" data-slug={s.slug}>
      <TableCell>
        <StatusBadge
          status={status}
          title={monitors === 0 ? 'No monitors yet' : `${down} of ${monitors} monitors down`}
        />
      </TableCell>
      <TableCell>
        <Link href={`/services/${s.slug}`} className="font-medium hover:underline">
          {s.name}
        </Link>
        <div className="font-mono text-xs text-muted-foreground">{s.slug}</div>
      </TableCell>
      <TableCell>
        <Badge tone={TIER_TONE[s.tier]}>{s.tier}</Badge>
      </TableCell>
      <TableCell className="text-sm">{s.owner ?? <span className="text-muted-foreground">—</span>}</TableCell>
      <TableCell className="w-64 min-w-48">
        <UptimeBars bars={s.bars} />
      </TableCell>
      <TableCell className="text-right tabular-nums">{formatLatency(s.p95LatencyMs)}</TableCell>
    </TableRow>
  );
}
