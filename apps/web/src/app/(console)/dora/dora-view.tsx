'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { LinkTabs } from '~/components/link-tabs';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { TableCard } from '~/components/table-card';
import { formatMs } from '~/lib/incidents';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { readDays } from './window';

type Figures = RouterOutputs['dora']['get']['figures'];

const WINDOWS = [7, 30, 90] as const;
const INSUFFICIENT = 'insufficient data';

const minutes = (m: number | null) => (m === null ? INSUFFICIENT : formatMs(m * 60_000));
const percent = (r: number | null) => (r === null ? INSUFFICIENT : `${Math.round(r * 1000) / 10} %`);

/** The four keys as the dashboard words them: figure, sample count beside it, band with its report year. */
function keys(f: Figures) {
  const df = f.deploymentFrequency;
  return [
    {
      id: 'deployment-frequency',
      label: 'Deployment frequency',
      figure: f.insufficient.deploymentFrequency
        ? INSUFFICIENT
        : `${Math.round((df.perWeek ?? 0) * 10) / 10} per week (${df.bucket})`,
      count: `${df.count} succeeded production deployments`,
      band: df.band?.label ?? null,
    },
    {
      id: 'lead-time',
      label: 'Lead time for changes (median)',
      figure: minutes(f.leadTime.medianMinutes),
      count: `${f.leadTime.count} commits`,
      band: f.leadTime.band?.label ?? null,
    },
    {
      id: 'change-failure-rate',
      label: 'Change failure rate',
      figure: percent(f.changeFailureRate.ratio),
      count: `${f.changeFailureRate.failed} of ${f.changeFailureRate.deployments} deployments`,
      band: f.changeFailureRate.band?.label ?? null,
    },
    {
      id: 'recovery-time',
      label: 'Failed deployment recovery time (median)',
      figure: minutes(f.recoveryTime.medianMinutes),
      count: `${f.recoveryTime.count} resolved incidents${
        f.recoveryTime.unresolved.length ? `, ${f.recoveryTime.unresolved.length} unresolved` : ''
      }`,
      band: f.recoveryTime.band?.label ?? null,
    },
  ];
}

/** DORA four keys for stakeholders: production deployments only; every role reads, nothing here writes. */
export function DoraView() {
  const trpc = useTRPC();
  const days = readDays(useSearchParams().get('days'));
  const all = useSuspenseQuery(trpc.dora.get.queryOptions({ days }));
  const overview = useSuspenseQuery(trpc.dora.overview.queryOptions({ days }));
  const rows = overview.data.items;

  return (
    <ConsolePage
      title="DORA"
      description="The four keys over production deployments. Bands are the published survey clusters of the year shown: labels, not targets."
      refreshed={[all, overview]}
    >
      <LinkTabs
        label="Window"
        tabs={WINDOWS.map((d) => ({ href: `?days=${d}`, label: `${d} days`, current: d === days }))}
      />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {keys(all.data.figures).map((k) => (
          <SectionCard key={k.id} title={k.label} testId={`dora-${k.id}`}>
            <p className="text-2xl font-semibold tabular-nums" data-testid={`dora-${k.id}-figure`}>
              {k.figure}
            </p>
            <p className="text-sm text-muted-foreground" data-testid={`dora-${k.id}-count`}>
              {k.count}
            </p>
            {k.band ? (
              <p className="text-sm" data-testid={`dora-${k.id}-band`}>
                {k.band}
              </p>
            ) : null}
          </SectionCard>
        ))}
      </div>
      <TableCard
        title="By service"
        columns={[
          { label: 'Service' },
          { label: 'Team' },
          { label: 'Deploys', right: true },
          { label: 'Lead time', right: true },
          { label: 'Change failure rate', right: true },
          { label: 'Recovery', right: true },
        ]}
        rows={rows.length}
        empty="No services yet."
        testId="dora-services"
      >
        {rows.map((r) => {
          const f = r.figures;
          return (
            <TableRow key={r.serviceId} data-testid="dora-service-row">
              <TableCell>
                <Link className="font-medium underline" href={`/services/${r.slug}`}>
                  {r.name}
                </Link>
              </TableCell>
              <TableCell className="text-muted-foreground">{r.owner || '—'}</TableCell>
              <TableCell className="text-right tabular-nums">{f.deploymentFrequency.count}</TableCell>
              <TableCell className="text-right tabular-nums">
                {minutes(f.leadTime.medianMinutes)} ({f.leadTime.count})
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {percent(f.changeFailureRate.ratio)} ({f.changeFailureRate.failed}/
                {f.changeFailureRate.deployments})
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {minutes(f.recoveryTime.medianMinutes)} ({f.recoveryTime.count})
              </TableCell>
            </TableRow>
          );
        })}
      </TableCard>
    </ConsolePage>
  );
}
