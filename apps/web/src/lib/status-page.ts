/** Status page words, colours and list helpers, pure, so the public pages and the admin form agree. */
import type { ComponentStatus, IncidentImpact } from '@sextant/db/enums';
import type { PillTone } from '@sextant/ui';

export const COMPONENT_STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export const COMPONENT_STATUS_TONE: Record<ComponentStatus, PillTone> = {
  operational: 'success',
  degraded_performance: 'warning',
  partial_outage: 'warning',
  major_outage: 'danger',
  under_maintenance: 'info',
};

/** A component's words and tone: an operational component nobody observes reads "No data", not "Operational". */
export function componentState(c: { status: ComponentStatus; noData: boolean }): {
  label: string;
  tone: PillTone;
} {
  if (c.noData && c.status === 'operational') return { label: 'No data', tone: 'neutral' };
  return { label: COMPONENT_STATUS_LABEL[c.status], tone: COMPONENT_STATUS_TONE[c.status] };
}

/** The banner over the whole page. */
export const OVERALL_LABEL: Record<ComponentStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export type BarTone = 'up' | 'minor' | 'down' | 'none';

const TONE_RANK: Record<BarTone, number> = { none: 0, up: 1, minor: 2, down: 3 };

/** What an incident's impact says of its day: a major outage red, anything less amber. */
const IMPACT_TONE: Record<IncidentImpact, BarTone> = {
  degraded_performance: 'minor',
  partial_outage: 'minor',
  major_outage: 'down',
};

/**
 * A day's colour: the worse of its uptime (≥ 99.9 % green, ≥ 99 % amber, below red, nothing observed grey) and the
 * impact of the incidents that touched it, so a day with a partial outage is never green.
 */
export function barTone(
  uptime: number | null,
  incidents: readonly { impact: IncidentImpact }[] = [],
): BarTone {
  let tone: BarTone = uptime === null ? 'none' : uptime >= 0.999 ? 'up' : uptime >= 0.99 ? 'minor' : 'down';
  for (const i of incidents)
    if (TONE_RANK[IMPACT_TONE[i.impact]] > TONE_RANK[tone]) tone = IMPACT_TONE[i.impact];
  return tone;
}

export const BAR_CLASS: Record<BarTone, string> = {
  up: 'bg-success',
  minor: 'bg-warning',
  down: 'bg-destructive',
  none: 'bg-muted-foreground/25',
};

/** Uptime as visitors read it: two decimals, and never "100.00 %" for a day that was not quite whole. */
export function formatDayUptime(uptime: number | null): string {
  if (uptime === null) return 'No data';
  const pct = Math.floor(uptime * 10_000) / 100;
  return `${pct.toFixed(2)}% uptime`;
}

/** One line for a bar's accessible name: date, uptime, incidents. */
export function barLabel(bar: {
  day: string;
  uptime: number | null;
  incidents: { title: string }[];
}): string {
  const incidents = bar.incidents.length
    ? `; ${bar.incidents.length === 1 ? '1 incident' : `${bar.incidents.length} incidents`}: ${bar.incidents.map((i) => i.title).join(', ')}`
    : '; no incidents';
  return `${bar.day}: ${formatDayUptime(bar.uptime)}${incidents}`;
}

/** The group names already used, first-seen order, for the form's suggestions. */
export function groupNames(components: readonly { group: string | null }[]): string[] {
  const seen = new Set<string>();
  for (const c of components) {
    const name = c.group?.trim();
    if (name) seen.add(name);
  }
  return [...seen];
}

/** The list with the item at `index` moved by `delta` places (up is -1); out of range leaves it as it is. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item as T);
  return out;
}
