import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@sextant/db/enums';
import { INCIDENT_LIST_STATES } from '@sextant/trpc/schemas';
import { firstParam, type ParamGet } from '~/lib/search-params';

export type IncidentStateFilter = (typeof INCIDENT_LIST_STATES)[number] | 'all';

export interface IncidentFilters {
  state: IncidentStateFilter;
  severity?: IncidentSeverity;
}

/** From the URL: `?state=resolved&severity=SEV1`; open incidents of any severity by default. */
export function readFilters(get: ParamGet): IncidentFilters {
  const state = firstParam(get, 'state');
  const severity = firstParam(get, 'severity');
  return {
    state:
      state === 'all' || INCIDENT_LIST_STATES.includes(state as never)
        ? (state as IncidentStateFilter)
        : 'open',
    severity: INCIDENT_SEVERITIES.includes(severity as never) ? (severity as IncidentSeverity) : undefined,
  };
}

export const toListInput = (f: IncidentFilters) => ({
  state: f.state === 'all' ? undefined : f.state,
  severity: f.severity ? [f.severity] : undefined,
});

export function toSearch(f: IncidentFilters): string {
  const search = new URLSearchParams({ state: f.state, ...(f.severity ? { severity: f.severity } : {}) });
  return `?${search}`;
}
