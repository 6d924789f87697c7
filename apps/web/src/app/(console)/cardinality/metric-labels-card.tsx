'use client';

import { TableCell, TableRow } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { TableCard } from '~/components/table-card';
import { useTRPC } from '~/trpc/react';
import { DeleteSeriesDialog } from './delete-series-dialog';

/** One metric's labels, most distinct values first: the label at the top is the one that grows the series. */
export function MetricLabelsCard({ metric }: { metric: string }) {
  const trpc = useTRPC();
  const labels = useSuspenseQuery(trpc.cardinality.labels.queryOptions({ name: metric }));
  return (
    <TableCard
      title={`Labels of ${metric}`}
      description="Distinct values per label, and the values most series have."
      action={
        <div className="flex items-center gap-4">
          <DeleteSeriesDialog metric={metric} />
          <Link href="/cardinality" className="text-sm text-muted-foreground hover:underline">
            Close
          </Link>
        </div>
      }
      columns={[
        { label: 'Label' },
        { label: 'Distinct values', right: true },
        { label: 'Most common values' },
      ]}
      rows={labels.data.length}
      empty="This metric has no series."
      testId="cardinality-labels"
    >
      {labels.data.map((l) => (
        <TableRow key={l.label} data-testid="cardinality-label" data-name={l.label}>
          <TableCell className="font-mono text-sm">{l.label}</TableCell>
          <TableCell className="text-right tabular-nums" data-testid="values">
            {l.values.toLocaleString('en-US')}
          </TableCell>
          <TableCell className="max-w-md truncate font-mono text-xs text-muted-foreground">
            {l.top.join(', ')}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
