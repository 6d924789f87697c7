'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { MetricLabelsCard } from './metric-labels-card';

const n = (x: number) => x.toLocaleString('en-US');

export function CardinalityView({ metric }: { metric: string | null }) {
  const trpc = useTRPC();
  const overview = useSuspenseQuery(trpc.cardinality.overview.queryOptions());
  const o = overview.data;

  return (
    <ConsolePage
      title="Cardinality"
      description={`${n(o.series)} series in ${n(o.metrics)} metrics. A batch that would give a metric more than ${n(o.limits.perMetric)} series, or a service more than ${n(o.limits.perService)}, is refused.`}
      refreshed={[overview]}
    >
      <TableCard
        title="Top metrics"
        description="By series count, with the series each made per day over the last week (UTC, oldest first). Pick one to see its labels."
        columns={[
          { label: 'Metric' },
          { label: 'Series', right: true },
          { label: 'Of limit', right: true },
          { label: 'New series per day', right: true },
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
            <TableCell className="text-right tabular-nums" data-testid="series">
              {n(m.series)}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {Math.round((100 * m.series) / o.limits.perMetric)} %
            </TableCell>
            <TableCell className="text-right font-mono text-xs tabular-nums" data-testid="new-per-day">
              {m.newPerDay.map(n).join(' · ')}
            </TableCell>
          </TableRow>
        ))}
      </TableCard>

      {metric ? <MetricLabelsCard metric={metric} /> : null}

      <TableCard
        title="Top services"
        description="Series per service label, over all its metrics."
        columns={[{ label: 'Service' }, { label: 'Series', right: true }, { label: 'Of limit', right: true }]}
        rows={o.services.length}
        empty="No series carry a service label yet."
        testId="cardinality-services"
      >
        {o.services.map((s) => (
          <TableRow key={s.service} data-testid="cardinality-service" data-name={s.service}>
            <TableCell className="font-mono text-sm">{s.service}</TableCell>
            <TableCell className="text-right tabular-nums">{n(s.series)}</TableCell>
            <TableCell className="text-right tabular-nums">
              {Math.round((100 * s.series) / o.limits.perService)} %
            </TableCell>
          </TableRow>
        ))}
      </TableCard>
    </ConsolePage>
  );
}
