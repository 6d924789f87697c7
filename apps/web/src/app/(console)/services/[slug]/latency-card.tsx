'use client';

import { SERVICE_RANGES } from '@sextant/db/enums';
import { Button, Card, CardContent, CardDescription, CardHeader, CardTitle, LineChart } from '@sextant/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { DEFAULT_RANGE, type LatencyRange as Range } from './types';

// "24h" → "24 h"
const RANGES = SERVICE_RANGES.map((value) => ({ value, label: value.replace(/^(\d+)/, '$1 ') }));

/** Axis labels in the viewer's zone once hydrated; UTC before, so server and client HTML match. */
function useFormatX(range: Range) {
  const hydrated = useHydrated();
  return (x: number) => {
    const d = new Date(x);
    if (!hydrated) return `${d.toISOString().slice(range === '1h' || range === '24h' ? 11 : 5, 16)} UTC`;
    return range === '1h' || range === '24h'
      ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  };
}

export function LatencyCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>(DEFAULT_RANGE);
  const latency = useQuery(
    trpc.services.latency.queryOptions(
      { id: service, range },
      { refetchInterval: refreshMs, placeholderData: keepPreviousData },
    ),
  );
  const formatX = useFormatX(range);
  const hydrated = useHydrated();
  const points = latency.data?.points ?? [];
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <CardTitle>Latency</CardTitle>
          <CardDescription>
            p50 and p95 of successful checks, {latency.data?.source === 'rollup' ? 'per hour' : 'per minute'}.
          </CardDescription>
        </div>
        <fieldset className="flex gap-1">
          <legend className="sr-only">Time range</legend>
          {RANGES.map((r) => (
            <Button
              key={r.value}
              size="sm"
              variant={r.value === range ? 'default' : 'outline'}
              aria-pressed={r.value === range}
              disabled={!hydrated}
              onClick={() => setRange(r.value)}
            >
              {r.label}
            </Button>
          ))}
        </fieldset>
      </CardHeader>
      <CardContent aria-busy={latency.isFetching}>
        {latency.error && !latency.data ? (
          <p role="alert" className="text-sm text-destructive">
            {latency.error.message}
          </p>
        ) : (
          <LineChart
            data-testid="latency-chart"
            className={latency.isPlaceholderData ? 'opacity-60' : undefined}
            height={180}
            yMin={0}
            formatX={formatX}
            formatY={(y) => `${Math.round(y)} ms`}
            empty={
              !latency.data
                ? 'Loading…'
                : points.length > 0
                  ? 'No successful checks in this range.'
                  : 'No latency data in this range yet.'
            }
            series={[
              { name: 'p50', className: 'text-primary', points: points.map((p) => ({ x: p.t, y: p.p50 })) },
              { name: 'p95', className: 'text-warning', points: points.map((p) => ({ x: p.t, y: p.p95 })) },
            ]}
          />
        )}
      </CardContent>
    </Card>
  );
}
