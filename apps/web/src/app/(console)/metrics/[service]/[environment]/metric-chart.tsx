'use client';

import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  cn,
  TimeSeriesChart,
  type TimeSeriesMarker,
} from '@sextant/ui';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { humanSeconds } from '~/lib/monitoring';
import { useTRPC } from '~/trpc/react';
import { toChartData } from './chart-data';
import { type ChartSpec, lineInputs, type Target } from './charts';

const HEIGHT = 200;

/** One RED/USE chart: one query per line, kept on screen while the next window loads. */
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
  const results = useQueries({
    queries: lineInputs(spec, target, window).map((input) => trpc.metrics.query.queryOptions(input)),
  });
  const latest = results.map((r) => r.data);
  // useQueries drops placeholder data when keys change, so keep the last complete set ourselves.
  const [shown, setShown] = useState(latest);
  if (latest.every(Boolean) && latest.some((d, i) => d !== shown[i])) setShown(latest);
  const complete = shown.every((d) => d !== undefined);
  const chart = useMemo(
    () =>
      complete
        ? toChartData(
            spec,
            shown.filter((d) => d !== undefined),
          )
        : null,
    [spec, shown, complete],
  );
  const error = results.find((r) => r.error)?.error;
  const stale = !latest.every(Boolean);

  return (
    <Card
      data-testid={`chart-${spec.key}`}
      data-points={chart?.points ?? 0}
      data-tier={chart?.tier ?? ''}
      aria-busy={results.some((r) => r.isFetching)}
    >
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <CardTitle>{spec.title}</CardTitle>
          <CardDescription>{spec.description}</CardDescription>
        </div>
        {chart ? (
          <span className="shrink-0 text-xs text-muted-foreground" title="Storage tier the API read">
            {chart.tier} · {humanSeconds(chart.step)} buckets
          </span>
        ) : null}
      </CardHeader>
      <CardContent className={cn(stale && chart && 'opacity-60')}>
        {error && !chart ? (
          <p role="alert" className="text-sm text-destructive" style={{ minHeight: HEIGHT }}>
            {error.message}
          </p>
        ) : !chart ? (
          <p className="text-sm text-muted-foreground" style={{ minHeight: HEIGHT }}>
            Loading…
          </p>
        ) : chart.points === 0 ? (
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
        {error && chart ? (
          <p role="alert" className="mt-2 text-xs text-destructive">
            Showing the last result: {error.message}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
