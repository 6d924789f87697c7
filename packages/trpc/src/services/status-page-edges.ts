import type { Context } from '../context';
import { AppError } from '../errors';
import { BADGE_WINDOWS, type BadgeWindow } from '../schemas/status-pages';
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

/** Time-based uptime (maintenance excluded) of each component of a page, by component key and window. */
export interface PageUptimes {
  computedAt: Date;
  byKey: Map<string, Record<BadgeWindow, number | null>>;
}

// Uptimes hang off the view object they go with: the page cache hands out the same object until a NOTIFY or its
// TTL drops it, so they are computed once per cached view and never outlive it (and per request when uncached).
const uptimesByView = new WeakMap<StatusPageView, Promise<PageUptimes | null>>();

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

/** The component uptimes of a public page's view (from `publicStatusPageView`), computed once per view. */
export function publicStatusPageUptimes(
  ctx: EdgeContext,
  slug: string,
  view: StatusPageView,
): Promise<PageUptimes | null> {
  const known = uptimesByView.get(view);
  if (known) return known;
  const value = buildUptimes(ctx, slug);
  uptimesByView.set(view, value);
  value.catch(() => {
    if (uptimesByView.get(view) === value) uptimesByView.delete(view);
  });
  return value;
}
