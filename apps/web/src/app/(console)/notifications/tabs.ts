import { TICK_DECISIONS, type TickDecision } from '@sextant/trpc/schemas';

export const NOTIFY_TABS = [
  { tab: 'decisions', label: 'Decisions' },
  { tab: 'deliveries', label: 'Deliveries' },
  { tab: 'dead', label: 'Dead letters' },
] as const;
export type NotifyTab = (typeof NOTIFY_TABS)[number]['tab'];

export interface NotifyFilters {
  tab: NotifyTab;
  decision?: TickDecision;
}

/** The page's state from its URL, so a tab or filter is a link that can be shared. */
export function readFilters(get: (key: string) => string | string[] | null | undefined): NotifyFilters {
  const first = (key: string) => {
    const v = get(key);
    return (Array.isArray(v) ? v[0] : v) ?? undefined;
  };
  const tab = NOTIFY_TABS.find((t) => t.tab === first('tab'))?.tab ?? 'decisions';
  const decision = first('decision');
  return {
    tab,
    ...(decision && (TICK_DECISIONS as readonly string[]).includes(decision)
      ? { decision: decision as TickDecision }
      : {}),
  };
}

export function toSearch(f: NotifyFilters): string {
  const p = new URLSearchParams({ tab: f.tab });
  if (f.decision) p.set('decision', f.decision);
  return `?${p}`;
}

/** The list input each tab reads; the server's prefetch and the browser build the same one. */
export const ticksInput = (f: NotifyFilters) => (f.decision ? { decision: f.decision } : {});
export const deliveriesInput = (f: NotifyFilters) => (f.tab === 'dead' ? { state: 'dead' as const } : {});
