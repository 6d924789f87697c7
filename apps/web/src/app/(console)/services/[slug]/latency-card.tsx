'use client';

import { SERVICE_RANGES } from '@sextant/db/enums';
import { Button, TimeSeriesChart } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { useState, useTransition } from 'react';
import { RefreshError } from '~/components/refresh-error';
import { SectionCard } from '~/components/section-card';
import { useDeploymentMarkers } from '~/lib/deployment-markers';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { DEFAULT_RANGE, type LatencyRange as Range } from './types';

// "24h" → "24 h"
const RANGES = SERVICE_RANGES.map((value) => ({ value, label: value.replace(/^(\d+)/, '$1 ') }));

const HEIGHT = 180;
const MINUTE = 60_000;

/** The chart's window, rounded to the minute so the markers' query key stays put between refreshes. */
function latencyWindow(points: { t: Date }[]) {
  const to = Math.ceil(Date.now() / MINUTE) * MINUTE;
  const first = points[0]?.t.getTime() ?? to - MINUTE;
  return { from: new Date(Math.min(first, to - MINUTE)), to: new Date(to) };
}

export function LatencyCard({ service, refreshMs }: { service: string; refreshMs: number }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>(DEFAULT_RANGE);
  // A transition: the chart of the last range stays (dimmed) until the new one has loaded.
  const [switching, startTransition] = useTransition();
  const latency = useSuspenseQuery(
    trpc.services.latency.queryOptions({ id: service, range }, { refetchInterval: refreshMs }),
  );
  const hydrated = useHydrated();
  const points = latency.data.points;
  const hasValues = points.some((p) => p.p50 !== null || p.p95 !== null);
  const window = latencyWindow(points);
  const markers = useDeploymentMarkers(service, undefined, window, refreshMs);
  // An empty bucket at the window's end: the x axis runs to now, so this hour's markers are drawn too.
  const end = window.to.getTime() / 1000;
  const x = points.map((p) => p.t.getTime() / 1000);
  const tail = x.length > 0 && x.at(-1)! < end ? [null] : [];
  return (
    <SectionCard
      title="Latency"
      description={`p50 and p95 of successful checks, ${latency.data.source === 'rollup' ? 'per hour' : 'per minute'}; dashed lines are deployments, dotted ones changes of its flags.`}
      busy={switching}
      action={
        <fieldset className="flex gap-1">
          <legend className="sr-only">Time range</legend>
          {RANGES.map((r) => (
            <Button
              key={r.value}
              size="sm"
              variant={r.value === range ? 'default' : 'outline'}
              aria-pressed={r.value === range}
              disabled={!hydrated}
              onClick={() => startTransition(() => setRange(r.value))}
            >
              {r.label}
            </Button>
          ))}
        </fieldset>
      }
    >
      <RefreshError queries={[latency]} />
      {!hasValues ? (
        <p
          className="flex items-center justify-center text-sm text-muted-foreground"
          style={{ height: HEIGHT }}
        >
          {points.length > 0 ? 'No successful checks in this range.' : 'No latency data in this range yet.'}
        </p>
      ) : (
        <TimeSeriesChart
          data-testid="latency-chart"
          height={HEIGHT}
          unit="ms"
          markers={markers}
          x={tail.length ? [...x, end] : x}
          series={[
            { label: 'p50', color: '--primary', values: [...points.map((p) => p.p50), ...tail] },
            { label: 'p95', color: '--warning', values: [...points.map((p) => p.p95), ...tail] },
          ]}
        />
      )}
    </SectionCard>
  );
}
