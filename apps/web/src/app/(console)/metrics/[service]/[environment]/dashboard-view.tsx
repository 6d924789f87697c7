'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { useTRPC } from '~/trpc/react';
import { RangePicker } from '../../range-picker';
import { RefreshToggle } from '../../refresh-toggle';
import { REFRESH_MS, useLiveWindow } from '../../use-live-window';
import { RED, type Target, USE } from './charts';
import { eventMarkers } from './markers';
import { MetricChart } from './metric-chart';

/** RED and USE charts for one service in one environment, with check state changes as markers. */
export function DashboardView({ target, now }: { target: Target; now: number }) {
  const trpc = useTRPC();
  const { range, window, live, paused, setPaused, setRange, navigating } = useLiveWindow(now);
  // A catalog service with the same slug contributes its check events; metrics-only targets have none (NOT_FOUND).
  const detail = useQuery(
    trpc.services.get.queryOptions(
      { id: target.service },
      { retry: false, refetchInterval: live ? REFRESH_MS : false },
    ),
  );
  const markers = useMemo(() => eventMarkers(detail.data, window), [detail.data, window]);

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-2">
          <Link href="/metrics" className="text-sm text-muted-foreground hover:underline">
            ← Metrics
          </Link>
          <h1 className="text-2xl font-semibold tracking-tight">
            {target.service} <span className="text-muted-foreground">· {target.environment}</span>
          </h1>
          <p className="text-sm text-muted-foreground">
            {detail.data ? (
              <>
                Dashed lines mark state changes of{' '}
                <Link href={`/services/${detail.data.service.slug}`} className="text-primary hover:underline">
                  {detail.data.service.name}
                </Link>
                ’s monitors ({markers.length} in this range).
              </>
            ) : (
              'Requests, errors and latency, then CPU and memory.'
            )}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <RangePicker range={range} onChange={setRange} />
          <RefreshToggle
            relative={range.kind === 'relative'}
            paused={paused}
            onToggle={() => setPaused((p) => !p)}
          />
        </div>
      </div>

      <div className={navigating ? 'flex flex-col gap-6 opacity-60' : 'flex flex-col gap-6'}>
        <section aria-label="Requests, errors, duration" className="grid gap-6 lg:grid-cols-3">
          {RED.map((spec) => (
            <MetricChart key={spec.key} spec={spec} target={target} window={window} markers={markers} />
          ))}
        </section>
        <section aria-label="CPU and memory" className="grid gap-6 lg:grid-cols-2">
          {USE.map((spec) => (
            <MetricChart key={spec.key} spec={spec} target={target} window={window} markers={markers} />
          ))}
        </section>
      </div>
    </div>
  );
}
