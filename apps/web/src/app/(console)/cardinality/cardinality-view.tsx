'use client';

import { Sparkline, TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { LimitsCard } from './limits-card';
import { MetricLabelsCard } from './metric-labels-card';

const n = (x: number) => x.toLocaleString('en-US');
const signed = (x: number | null) => (x === null ? '–' : x > 0 ? `+${n(x)}` : n(x));
const ofLimit = (series: number, limit: number) => `${Math.round((100 * series) / limit)} %`;

export function CardinalityView({ metric }: { metric: string | null }) {
  const trpc = useTRPC();
  const overview = useSuspenseQuery(trpc.cardinality.overview.queryOptions());
  const o = overview.data;

  return (
    <ConsolePage
      title="Cardinality"
      description={`${n(o.series)} series in ${n(o.metrics)} metrics. A batch that would give a metric more than ${n(o.limits.perMetric)} series, or a service more than ${n(o.limits.perService)}, is refused, unless a limit below says otherwise.`}
      refreshed={[overview]}
    >
      <TableCard
        title="Top metrics"
        description="By series count, against each metric's limit; new series in the last 24 hours, and the change per UTC day over the last week from the daily snapshots (oldest first, today so far last; – where no snapshot was taken). Pick a metric to see its labels."
        columns={[
          { label: 'Metric' },
          { label: 'Series / limit', right: true },
          { label: 'Of limit', right: true },
          { label: 'New in 24 h', right: true },
          { label: 'Growth per day', right: true },
        ]}
        rows={o.top.length}
        empty="No metrics yet."
        testId="cardinality-metrics"
      >
        {o.top.map((m) => (
          <TableRow key={m.name} data-testid="cardinality-metric" data-name={m.name}>
            <TableCell className="font-mono text-sm">
              <Link href={`/cardinality?metric=${encodeURIComponent(m.name)}`} className="hover:underline">
                {m.name}
              </Link>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              <span data-testid="series">{n(m.series)}</span>
              <span className="text-muted-foreground"> / </span>
              <span data-testid="limit">{n(m.limit)}</span>
            </TableCell>
            <TableCell className="text-right tabular-nums">{ofLimit(m.series, m.limit)}</TableCell>
            <TableCell className="text-right tabular-nums" data-testid="new-24h">
              {n(m.new24h)}
            </TableCell>
            <TableCell className="text-right">
              {m.growth.every((g) => g === null) ? (
                // Only today's count: no earlier snapshot to compare with yet.
                <span className="text-muted-foreground" data-testid="growth">
                  –
                </span>
              ) : (
                <div className="flex items-center justify-end gap-2">
                  <Sparkline values={m.perDay} label={`Series of ${m.name} per day`} />
                  <span className="font-mono text-xs tabular-nums" data-testid="growth">
                    {m.growth.map(signed).join(' · ')}
                  </span>
                </div>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableCard>

      {metric ? <MetricLabelsCard metric={metric} /> : null}

      <TableCard
        title="Top services"
        description="Series per service label, over all its metrics, against the service's limit."
        columns={[
          { label: 'Service' },
          { label: 'Series / limit', right: true },
          { label: 'Of limit', right: true },
        ]}
        rows={o.services.length}
        empty="No series carry a service label yet."
        testId="cardinality-services"
      >
        {o.services.map((s) => (
          <TableRow key={s.service} data-testid="cardinality-service" data-name={s.service}>
            <TableCell className="font-mono text-sm">{s.service}</TableCell>
            <TableCell className="text-right tabular-nums">
              {n(s.series)}
              <span className="text-muted-foreground"> / </span>
              {n(s.limit)}
            </TableCell>
            <TableCell className="text-right tabular-nums">{ofLimit(s.series, s.limit)}</TableCell>
          </TableRow>
        ))}
      </TableCard>

      <LimitsCard overrides={o.overrides} limits={o.limits} />
    </ConsolePage>
  );
}
