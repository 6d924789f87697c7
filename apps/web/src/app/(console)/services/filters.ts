import { SERVICE_TIERS, type ServiceTier } from '@sextant/db/enums';
import type { RouterInputs } from '~/lib/router-types';
import { type ParamGet as Get, firstParam as one } from '~/lib/search-params';

export const PAGE_SIZE = 25;

/** What the URL says to show: `?search=…&tier=…&page=…`. */
export interface ServiceFilters {
  search?: string;
  tier?: ServiceTier;
  page: number;
}

/** Reads filters from server `searchParams` or client `URLSearchParams`; junk falls back to defaults. */
export function readFilters(get: Get): ServiceFilters {
  const tier = one(get, 'tier');
  const page = Number(one(get, 'page'));
  return {
    search: one(get, 'search')?.slice(0, 100),
    tier: SERVICE_TIERS.includes(tier as ServiceTier) ? (tier as ServiceTier) : undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The `services.list` input, built identically on server and client so the query keys match. */
export function toListInput(f: ServiceFilters): RouterInputs['services']['list'] {
  const input: RouterInputs['services']['list'] = { page: f.page, pageSize: PAGE_SIZE };
  if (f.search) input.search = f.search;
  if (f.tier) input.tier = f.tier;
  return input;
}

export function toSearch(f: ServiceFilters): string {
  const params = new URLSearchParams();
  if (f.search) params.set('search', f.search);
  if (f.tier) params.set('tier', f.tier);
  if (f.page > 1) params.set('page', String(f.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
