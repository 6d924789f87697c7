import { MAINTENANCE_STATES } from '@sextant/trpc/schemas';
import type { MaintenanceState } from '~/lib/maintenances';
import { firstParam, type ParamGet } from '~/lib/search-params';

/** From the URL: `?state=past`; upcoming windows by default. */
export function readState(get: ParamGet): { state: MaintenanceState } {
  const state = firstParam(get, 'state');
  return { state: MAINTENANCE_STATES.includes(state as never) ? (state as MaintenanceState) : 'upcoming' };
}

export const toSearch = (f: { state: MaintenanceState }) => `?${new URLSearchParams({ state: f.state })}`;
