'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { ConsolePage } from '~/components/page-header';
import { useDeploymentMarkers } from '~/lib/deployment-markers';
import { useTRPC } from '~/trpc/react';
import { RangeControls } from '../../range-controls';
import { REFRESH_MS, useLiveWindow } from '../../use-live-window';
import { RED, type Target, USE } from './charts';
import { eventMarkers } from './markers';
import { MetricChart } from './metric-chart';

/** RED and USE charts for one service in one environment, with deployments, flag and check state changes as markers. */
export function DashboardView({ target, now }: { target: Target; now: number }) {
  const trpc = useTRPC();
  const liveWindow = useLiveWindow(now);
  const { window } = liveWindow;
  // Optional, so not suspending: a service with the same slug contributes its check events, while a
  // metrics-only target has none (NOT_FOUND), which must not fail the page.
  const detail = useQuery(
    trpc.services.get.queryOptions(
      { id: target.service },
      { retry: false, refetchInterval: liveWindow.live ? REFRESH_MS : false },
    ),
  );
  const deploys = useDeploymentMarkers(
    target.service,
    target.environment,
    window,
    liveWindow.live ? REFRESH_MS : false,
  );
  const events = useMemo(() => eventMarkers(detail.data, window), [detail.data, window]);
  const markers = useMemo(() => [...events, ...deploys].sort((a, b) => a.t - b.t), [events, deploys]);

  return (
    <ConsolePage
      back={{ href: '/metrics', label: 'Metrics' }}
      title={
        <>
          {target.service} <span className="text-muted-foreground">· {target.environment}</span>
        </>
      }
      description={
        detail.data ? (
          <>
            Dashed lines mark deployments, dotted ones flag changes ({deploys.length} in all), and state
            changes of{' '}
            <Link href={`/services/${detail.data.service.slug}`} className="text-primary hover:underline">
              {detail.data.service.name}
            </Link>
            ’s monitors ({events.length}) in this range.
          </>
        ) : (
          'Requests, errors and latency, then CPU and memory.'
        )
      }
      action={<RangeControls live={liveWindow} />}
    >
      <div className={liveWindow.navigating ? 'flex flex-col gap-6 opacity-60' : 'flex flex-col gap-6'}>
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
    </ConsolePage>
  );
}
