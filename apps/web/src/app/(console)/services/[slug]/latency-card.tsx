'use client';

import { SERVICE_RANGES } from '@sextant/db/enums';
import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  TimeSeriesChart,
} from '@sextant/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { DEFAULT_RANGE, type LatencyRange as Range } from './types';

// "24h" → "24 h"
const RANGES = SERVICE_RANGES.map((value) => ({ value, label: value.replace(/^(\d+)/, '$1 ') }));

const HEIGHT = 180;

export function LatencyCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>(DEFAULT_RANGE);
  const latency = useQuery(
    trpc.services.latency.queryOptions(
      { id: service, range },
      { refetchInterval: refreshMs, placeholderData: keepPreviousData },
    ),
  );
  const hydrated = useHydrated();
  const points = latency.data?.points ?? [];
  const hasValues = points.some((p) => p.p50 !== null || p.p95 !== null);
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
        ) : !hasValues ? (
          <p
            className="flex items-center justify-center text-sm text-muted-foreground"
            style={{ height: HEIGHT }}
          >
            {!latency.data
              ? 'Loading…'
              : points.length > 0
                ? 'No successful checks in this range.'
                : 'No latency data in this range yet.'}
          </p>
        ) : (
          <TimeSeriesChart
            data-testid="latency-chart"
            className={latency.isPlaceholderData ? 'opacity-60' : undefined}
            height={HEIGHT}
            unit="ms"
            x={points.map((p) => p.t.getTime() / 1000)}
            series={[
              { label: 'p50', color: '--primary', values: points.map((p) => p.p50) },
              { label: 'p95', color: '--warning', values: points.map((p) => p.p95) },
            ]}
          />
        )}
      </CardContent>
    </Card>
  );
}
