'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { ProbeErrorCell } from '~/components/probe-error';
import { RelativeTime } from '~/components/relative-time';
import { formatRunTime, humanSeconds } from '~/lib/monitoring';
import { MonitorActionsCell } from './monitor-actions';
import { ScrapeTargetDialog } from './scrape-target-dialog';
import type { ScrapeTarget } from './scrape-target-form';
import type { Environment } from './types';

/** The last scrape's outcome, in the words an on-call engineer would use. */
function ScrapeState({ target: t }: { target: ScrapeTarget }) {
  if (t.paused) return <Badge>Paused</Badge>;
  if (!t.lastScrapeAt) return <Badge tone="neutral">Pending</Badge>;
  return t.lastError ? <Badge tone="danger">Failing</Badge> : <Badge tone="success">OK</Badge>;
}

export function ScrapeTargetRow({
  target: t,
  service,
  environments,
  canEdit,
}: {
  target: ScrapeTarget;
  service: { id: string; slug: string };
  environments: Environment[];
  canEdit: boolean;
}) {
  const env = environments.find((e) => e.id === t.environmentId);
  return (
    <TableRow data-testid="scrape-target-row" className="align-top">
      <TableCell>
        <div className="max-w-80 break-all font-mono text-xs">{t.url}</div>
        <div className="flex flex-wrap items-center gap-1 pt-1">
          {env ? <Badge tone="info">{env.name}</Badge> : null}
          {Object.entries(t.labels).map(([k, v]) => (
            <Badge key={k}>{`${k}=${v}`}</Badge>
          ))}
          {env ? (
            <Link
              href={`/metrics/${service.slug}/${encodeURIComponent(env.name)}`}
              className="text-xs text-primary hover:underline"
            >
              Dashboard
            </Link>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="whitespace-nowrap text-sm">every {humanSeconds(t.intervalSeconds)}</TableCell>
      <TableCell data-testid="scrape-state">
        <ScrapeState target={t} />
      </TableCell>
      <TableCell className="text-right tabular-nums" data-testid="scrape-samples">
        {t.lastSamples ?? '—'}
      </TableCell>
      <TableCell className="whitespace-nowrap text-sm">
        <RelativeTime value={t.lastScrapeAt} fallback="never" />
        {t.lastDurationMs !== null ? (
          <div className="text-xs text-muted-foreground">took {formatRunTime(t.lastDurationMs)}</div>
        ) : null}
      </TableCell>
      <ProbeErrorCell error={t.lastError} testId="scrape-error" />
      {canEdit ? (
        <MonitorActionsCell
          kind="scrapeTarget"
          monitor={{ ...t, name: t.url }}
          edit={<ScrapeTargetDialog service={service.id} target={t} environments={environments} />}
        />
      ) : null}
    </TableRow>
  );
}
