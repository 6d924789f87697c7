import type { Context } from '../context';
import { AppError } from '../errors';
import { STATUS_PAGE_LIMITS } from '../limits';
import type { StatusPageCache } from './status-page-cache';
import type { StatusPageView } from './status-page-view';
import { loadStatusPageSpec } from './status-page-view';
import { viewStatusPage } from './status-pages';
import { combine, loadHistories, uptimeOf, uptimeWindows } from './uptime';

// What the public machine-readable edges (Statuspage JSON, feeds, badges) read: public pages only.

type EdgeContext = Pick<Context, 'sql' | 'runtime'>;

/** A public page's view, from the instance's cache; null for an unknown or private page alike (one answer). */
export async function publicStatusPageView(ctx: EdgeContext, slug: string): Promise<StatusPageView | null> {
  try {
    const view = await viewStatusPage({ ...ctx, identity: null }, slug);
    return view.visibility === 'public' ? view : null;
  } catch (err) {
    if (err instanceof AppError && (err.appCode === 'NOT_FOUND' || err.appCode === 'STATUS_PAGE_SIGN_IN'))
      return null;
    throw err;
  }
}

export const BADGE_WINDOWS = ['24h', '7d', '30d'] as const;
export type BadgeWindow = (typeof BADGE_WINDOWS)[number];

/** Time-based uptime (maintenance excluded) of each component of a page, by component key and window. */
export interface PageUptimes {
  computedAt: Date;
  byKey: Map<string, Record<BadgeWindow, number | null>>;
}

interface Entry {
  value: Promise<PageUptimes | null>;
  expiresAt: number;
}

// One uptime map per page cache, emptied with it on every NOTIFY, so a badge never outlives the view it matches.
const uptimeCaches = new WeakMap<StatusPageCache, Map<string, Entry>>();

function entriesOf(cache: StatusPageCache) {
  let entries = uptimeCaches.get(cache);
  if (!entries) {
    const created = new Map<string, Entry>();
    cache.onClear(() => created.clear());
    uptimeCaches.set(cache, created);
    entries = created;
  }
  return entries;
}

/** Every component's uptime over 24 h / 7 d / 30 d in the page's environments: one history load for all. */
async function buildUptimes(ctx: EdgeContext, slug: string): Promise<PageUptimes | null> {
  const spec = await loadStatusPageSpec(ctx.sql, slug).catch((err: unknown) => {
    if (err instanceof AppError && err.appCode === 'NOT_FOUND') return null;
    throw err;
  });
  if (spec?.visibility !== 'public') return null;
  const all = uptimeWindows();
  const windows = Object.fromEntries(BADGE_WINDOWS.map((k) => [k, all[k]!])) as Record<
    BadgeWindow,
    { from: Date; to: Date }
  >;
  const envs = spec.environments === 'all' ? undefined : spec.environments;
  const histories = await loadHistories(
    ctx.sql,
    spec.components.map((c) => c.serviceId),
    { from: windows['30d'].from, to: windows['24h'].to },
    envs,
  );
  const byKey = new Map(
    spec.components.map((c) => {
      const hs = histories.get(c.serviceId) ?? [];
      const figures = Object.fromEntries(
        BADGE_WINDOWS.map((k) => [k, combine(hs.map((h) => uptimeOf(h, windows[k]))).uptime]),
      ) as Record<BadgeWindow, number | null>;
      return [c.slug, figures];
    }),
  );
  return { computedAt: new Date(), byKey };
}

/** A public page's component uptimes, cached beside its view (cleared by the same NOTIFY, same TTL). */
export function publicStatusPageUptimes(ctx: EdgeContext, slug: string): Promise<PageUptimes | null> {
  const cache = ctx.runtime.statusPageCache;
  if (!cache) return buildUptimes(ctx, slug);
  const entries = entriesOf(cache);
  const now = Date.now();
  const hit = entries.get(slug);
  if (hit && hit.expiresAt > now) return hit.value;
  const entry: Entry = { value: buildUptimes(ctx, slug), expiresAt: now + STATUS_PAGE_LIMITS.cacheTtlMs };
  entries.set(slug, entry);
  entry.value.then(
    (v) => {
      // Unknown and private slugs are not kept: probes must not grow the map.
      if (v === null && entries.get(slug) === entry) entries.delete(slug);
    },
    () => {
      if (entries.get(slug) === entry) entries.delete(slug);
    },
  );
  return entry.value;
}
