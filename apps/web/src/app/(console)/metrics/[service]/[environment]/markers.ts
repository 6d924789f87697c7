import type { MarkerTone, TimeSeriesMarker } from '@sextant/ui';
import type { RouterOutputs } from '~/lib/router-types';

type ServiceDetail = RouterOutputs['services']['get'];

const TONE: Record<string, MarkerTone> = { down: 'danger', degraded: 'warning', up: 'success' };

/** The service's check state changes inside the window, as chart markers (the API returns the latest 50). */
export function eventMarkers(
  detail: ServiceDetail | undefined,
  window: { from: Date; to: Date },
): TimeSeriesMarker[] {
  if (!detail) return [];
  const from = window.from.getTime();
  const to = window.to.getTime();
  return detail.events
    .filter((e) => e.at.getTime() >= from && e.at.getTime() <= to)
    .map((e) => ({ t: e.at.getTime() / 1_000, label: `${e.from}→${e.to}`, tone: TONE[e.to] ?? 'neutral' }))
    .sort((a, b) => a.t - b.t);
}
