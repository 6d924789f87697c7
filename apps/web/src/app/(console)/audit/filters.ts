import { dateProblem } from '@sextant/trpc/time-range';
import type { RouterInputs } from '~/lib/router-types';
import { firstParam, type ParamGet } from '~/lib/search-params';

/** Search params the audit page understands; `from`/`to` hold ISO instants so shared links mean the same time everywhere. */
export const FILTER_KEYS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<FilterKey, string>>;

export const PAGE_SIZE = 50;

function isoDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  // Outside the API's date bounds the filter is dropped rather than failing the whole page.
  return dateProblem(d.getTime()) ? undefined : d;
}

/** Reads filters from any search-params shape (server `searchParams` or client `URLSearchParams`). */
export function readFilters(get: ParamGet): AuditFilters {
  const out: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const value = firstParam(get, key);
    if (value) out[key] = value;
  }
  return out;
}

/** The `audit.list` input for these filters, built identically on server and client so the query keys match. */
export function toListInput(f: AuditFilters): Omit<RouterInputs['audit']['list'], 'cursor'> {
  const input: Omit<RouterInputs['audit']['list'], 'cursor'> = { limit: PAGE_SIZE };
  if (f.actor) input.actor = f.actor;
  if (f.action) input.action = f.action;
  if (f.targetType) input.targetType = f.targetType;
  if (f.targetId) input.targetId = f.targetId;
  const from = isoDate(f.from);
  const to = isoDate(f.to);
  if (from) input.from = from;
  if (to) input.to = to;
  return input;
}

/** `?actor=…&from=…` for these filters, omitting empty ones. */
export function toSearch(f: AuditFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (f[key]) params.set(key, f[key]);
  const s = params.toString();
  return s ? `?${s}` : '';
}
