'use client';

import { BOARD_LIMITS } from '@sextant/trpc/limits';
import type { MarkerTone, TimeSeriesMarker } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '~/trpc/react';
import { flagMarkerLabel } from './flag-context';

const DAY_MS = 86_400_000;
const TONE: Record<string, MarkerTone> = { failed: 'danger', rolled_back: 'warning', succeeded: 'info' };

/**
 * A service's deployments and its linked flags' changes in a chart's window as markers, oldest first ("v1.4.2 ·
 * ci-key", "flag checkout.new-flow: PRO disabled"; with the environment when all are shown). Not suspending and not retried: a metrics-only target has no service, and the chart must still draw.
 * A window longer than the API's markers span is cut to its newest part.
 */
export function useDeploymentMarkers(
  service: string,
  environment: string | undefined,
  window: { from: Date; to: Date },
  refetchInterval: number | false = false,
): TimeSeriesMarker[] {
  const trpc = useTRPC();
  const to = window.to;
  const from = new Date(
    Math.max(window.from.getTime(), to.getTime() - BOARD_LIMITS.markersSpanDays * DAY_MS),
  );
  const markers = useQuery(
    trpc.deployments.markers.queryOptions(
      { service, environment, from, to },
      { retry: false, refetchInterval },
    ),
  );
  return useMemo(() => {
    const deploys = (markers.data?.items ?? []).map((d) => ({
      t: d.at.getTime() / 1_000,
      label: `${d.version}${environment ? '' : ` ${d.environment}`} · ${d.who ?? 'unknown'}`,
      tone: TONE[d.state] ?? 'neutral',
    }));
    const flags = (markers.data?.flags.items ?? []).map((c) => ({
      t: c.at.getTime() / 1_000,
      label: flagMarkerLabel(c, environment !== undefined),
      tone: 'flag' as const,
    }));
    return [...deploys, ...flags].sort((a, b) => a.t - b.t);
  }, [markers.data, environment]);
}
