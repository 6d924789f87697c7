import { SILENCE_STATES } from '@sextant/trpc/schemas';
import { firstParam, type ParamGet } from '~/lib/search-params';

export type SilenceStateFilter = (typeof SILENCE_STATES)[number] | 'all';

export interface SilenceFilters {
  state: SilenceStateFilter;
  matcher?: string;
}

/** From the URL: `?state=pending&matcher=service%3Dcheckout`; active silences by default. */
export function readFilters(get: ParamGet): SilenceFilters {
  const state = firstParam(get, 'state');
  return {
    state:
      state === 'all' || SILENCE_STATES.includes(state as never) ? (state as SilenceStateFilter) : 'active',
    matcher: firstParam(get, 'matcher'),
  };
}

export const toListInput = (f: SilenceFilters) => ({
  state: f.state === 'all' ? undefined : f.state,
  matcher: f.matcher,
});

export function toSearch(f: SilenceFilters): string {
  const search = new URLSearchParams({ state: f.state, ...(f.matcher ? { matcher: f.matcher } : {}) });
  return `?${search}`;
}
