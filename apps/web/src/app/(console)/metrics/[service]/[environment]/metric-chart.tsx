'use client';

import { TimeSeriesChart, type TimeSeriesMarker } from '@sextant/ui';
import { useSuspenseQueries } from '@tanstack/react-query';
import { RefreshError } from '~/components/refresh-error';
import { SectionCard } from '~/components/section-card';
import { humanSeconds } from '~/lib/monitoring';
import { useTRPC } from '~/trpc/react';
import { toChartData } from './chart-data';
import { type ChartSpec, lineInputs, type Target } from './charts';

const HEIGHT = 200;

/** One RED/USE chart: one query per line; the window slides in a transition, so the last one stays meanwhile. */
export function MetricChart({
  spec,
  target,
  window,
  markers,
}: {
  spec: ChartSpec;
  target: Target;
  window: { from: Date; to: Date; step: number };
  markers: TimeSeriesMarker[];
}) {
  const trpc = useTRPC();
  const results = useSuspenseQueries({
    queries: lineInputs(spec, target, window).map((input) => trpc.metrics.query.queryOptions(input)),
  });
  const chart = toChartData(
    spec,
    results.map((r) => r.data),
  );

  return (
    <SectionCard
      data-testid={`chart-${spec.key}`}
      data-points={chart.points}
      data-tier={chart.tier}
      title={spec.title}
      description={spec.description}
      action={
        <span className="shrink-0 text-xs text-muted-foreground" title="Storage tier the API read">
          {chart.tier} · {humanSeconds(chart.step)} buckets
        </span>
      }
    >
      <RefreshError queries={results} />
      {chart.points === 0 ? (
        <div
          className="flex flex-col items-center justify-center gap-1 rounded-md border border-dashed px-4 text-center text-sm text-muted-foreground"
          style={{ height: HEIGHT }}
        >
          <span>No data in this range</span>
          {/* Say what the chart reads, so whoever instruments the service knows what to expose. */}
          <span className="text-xs" data-testid="chart-expects">
            Reads <code>{[...new Set(spec.lines.map((l) => l.metric))].join(', ')}</code> with{' '}
            <code>
              service="{target.service}", environment="{target.environment}"
            </code>
          </span>
        </div>
      ) : (
        <TimeSeriesChart
          x={chart.x}
          series={chart.series}
          unit={spec.unit}
          height={HEIGHT}
          markers={markers}
        />
      )}
    </SectionCard>
  );
}
