import { ALERT_STATES, type AlertState } from '@sextant/db/enums';
import { ALERT_LIST_LIMITS } from '@sextant/trpc/schemas';
import type { RouterInputs } from '~/lib/router-types';
import { firstParam, type ParamGet } from '~/lib/search-params';

/** Search params the Alerts page understands; `hide=silenced,inhibited` leaves muted alerts out. */
export interface AlertFilters {
  state?: AlertState;
  service?: string;
  severity?: string;
  text?: string;
  hideSilenced?: boolean;
  hideInhibited?: boolean;
}

const TEXT_KEYS = ['service', 'severity', 'text'] as const;

/** Reads filters from server `searchParams` or client `URLSearchParams`; junk is dropped, not an error page. */
export function readFilters(get: ParamGet): AlertFilters {
  const out: AlertFilters = {};
  const state = firstParam(get, 'state');
  if (ALERT_STATES.includes(state as AlertState)) out.state = state as AlertState;
  for (const key of TEXT_KEYS) {
    const value = firstParam(get, key)?.slice(0, ALERT_LIST_LIMITS.textLength);
    if (value) out[key] = value;
  }
  const hide = firstParam(get, 'hide')?.split(',') ?? [];
  if (hide.includes('silenced')) out.hideSilenced = true;
  if (hide.includes('inhibited')) out.hideInhibited = true;
  return out;
}

/** The `alerts.list` input, built identically on server and client so the query keys match. */
export function toListInput(f: AlertFilters): Omit<RouterInputs['alerts']['list'], 'cursor'> {
  return {
    limit: ALERT_LIST_LIMITS.defaultPageSize,
    silenced: !f.hideSilenced,
    inhibited: !f.hideInhibited,
    ...(f.state ? { state: [f.state] } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.text ? { text: f.text } : {}),
  };
}

export function toSearch(f: AlertFilters): string {
  const params = new URLSearchParams();
  if (f.state) params.set('state', f.state);
  for (const key of TEXT_KEYS) if (f[key]) params.set(key, f[key]);
  const hide = [f.hideSilenced && 'silenced', f.hideInhibited && 'inhibited'].filter(Boolean);
  if (hide.length) params.set('hide', hide.join(','));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The list refreshes this often: alerts change state on the engine's clock, and the page must follow. */
export const LIVE_MS = 3_000;
