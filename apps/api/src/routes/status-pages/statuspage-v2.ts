import { createHash } from 'node:crypto';
import { COMPONENT_STATUSES, type ComponentStatus, type IncidentImpact } from '@sextant/db/enums';
import type { StatusPageIncidentView, StatusPageMaintenanceView, StatusPageView } from '@sextant/trpc';

// Atlassian Statuspage's public v2 JSON (field names and value sets), mapped from our view model, so widgets and
// aggregators written for Statuspage read Sextant's public pages. Ids are slugs, uuids or hashes of public text.

/** Where the page lives (the console's public URL + `/status/<slug>`); the page's id is its slug. */
export interface PageRef {
  slug: string;
  url: string;
}

const iso = (d: Date) => d.toISOString();
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
const rank = (s: ComponentStatus) => COMPONENT_STATUSES.indexOf(s);

const INDICATOR: Record<ComponentStatus, { indicator: string; description: string }> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  // Statuspage's indicator has no maintenance value; its page reads "Service Under Maintenance".
  under_maintenance: { indicator: 'none', description: 'Service Under Maintenance' },
  degraded_performance: { indicator: 'minor', description: 'Minor Service Outage' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage' },
  major_outage: { indicator: 'critical', description: 'Major Service Outage' },
};

const IMPACT: Record<IncidentImpact, 'minor' | 'major' | 'critical'> = {
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

export function pageOf(view: StatusPageView, ref: PageRef) {
  return {
    id: ref.slug,
    name: view.title,
    url: ref.url,
    time_zone: 'Etc/UTC',
    updated_at: iso(view.generatedAt),
  };
}

export function statusOf(view: StatusPageView) {
  return { ...INDICATOR[view.overall] };
}

/** Groups and their components flat, in page order, as Statuspage lists them (a group's status is its worst). */
export function componentsOf(view: StatusPageView, ref: PageRef) {
  // The view carries no per-component timestamps: both are when the view was built.
  const at = iso(view.generatedAt);
  const base = { created_at: at, updated_at: at, description: null, page_id: ref.slug };
  const out: Record<string, unknown>[] = [];
  let position = 0;
  for (const g of view.groups) {
    const groupId = g.name === null ? null : `group-${shortHash(g.name)}`;
    if (groupId !== null)
      out.push({
        id: groupId,
        name: g.name,
        status: g.components.reduce<ComponentStatus>(
          (w, c) => (rank(c.status) > rank(w) ? c.status : w),
          'operational',
        ),
        ...base,
        position: ++position,
        showcase: false,
        start_date: null,
        group_id: null,
        group: true,
        only_show_if_degraded: false,
        components: g.components.map((c) => c.key),
      });
    for (const c of g.components)
      out.push({
        id: c.key,
        name: c.name,
        status: c.status,
        ...base,
        position: ++position,
        showcase: true,
        start_date: null,
        group_id: groupId,
        group: false,
        only_show_if_degraded: false,
      });
  }
  return out;
}

function componentsById(view: StatusPageView, ref: PageRef) {
  return new Map(componentsOf(view, ref).map((c) => [c.id as string, c]));
}

export function incidentOf(
  i: StatusPageIncidentView,
  ref: PageRef,
  components: Map<string, Record<string, unknown>>,
) {
  const updates = i.updates.map((u) => ({
    id: shortHash(`${i.id}|${u.createdAt.getTime()}|${u.status}`),
    status: u.status,
    body: u.body,
    incident_id: i.id,
    created_at: iso(u.createdAt),
    updated_at: iso(u.createdAt),
    display_at: iso(u.createdAt),
    // Which components an update changed is not recorded; Statuspage sends null then too.
    affected_components: null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }));
  const times = [i.startedAt, ...(i.resolvedAt ? [i.resolvedAt] : []), ...i.updates.map((u) => u.createdAt)];
  const monitoring = i.updates.filter((u) => u.status === 'monitoring').at(-1);
  return {
    id: i.id,
    name: i.title,
    status: i.status,
    created_at: iso(i.startedAt),
    updated_at: iso(new Date(Math.max(...times.map((t) => t.getTime())))),
    monitoring_at: monitoring ? iso(monitoring.createdAt) : null,
    resolved_at: i.resolvedAt ? iso(i.resolvedAt) : null,
    impact: IMPACT[i.impact],
    shortlink: `${ref.url}#incident-${i.id}`,
    started_at: iso(i.startedAt),
    page_id: ref.slug,
    incident_updates: updates,
    components: i.components.flatMap((k) => components.get(k) ?? []),
  };
}

export function incidentsOf(view: StatusPageView, ref: PageRef, which: 'all' | 'unresolved') {
  const byId = componentsById(view, ref);
  const list = which === 'all' ? [...view.activeIncidents, ...view.history] : view.activeIncidents;
  return list.map((i) => incidentOf(i, ref, byId));
}

/** One occurrence of a window; a recurring window's occurrences differ by their start in the id. */
export function maintenanceOf(
  m: StatusPageMaintenanceView,
  state: 'scheduled' | 'in_progress',
  ref: PageRef,
  components: Map<string, Record<string, unknown>>,
) {
  const id = `${m.id}-${Math.floor(m.startsAt.getTime() / 1000)}`;
  const at = iso(m.startsAt);
  return {
    id,
    name: m.title,
    status: state,
    created_at: at,
    updated_at: at,
    monitoring_at: null,
    resolved_at: null,
    impact: 'maintenance',
    shortlink: `${ref.url}#maintenance-${id}`,
    started_at: at,
    page_id: ref.slug,
    // The announcement is the window's description, shown as its one update.
    incident_updates: m.description
      ? [
          {
            id: shortHash(`${id}|announcement`),
            status: state,
            body: m.description,
            incident_id: id,
            created_at: at,
            updated_at: at,
            display_at: at,
            affected_components: null,
            deliver_notifications: true,
            custom_tweet: null,
            tweet_id: null,
          },
        ]
      : [],
    components: m.components.flatMap((k) => components.get(k) ?? []),
    scheduled_for: at,
    scheduled_until: iso(m.endsAt),
  };
}

/** In progress first, then upcoming soonest first; completed windows are not in the view and not listed. */
export function maintenancesOf(view: StatusPageView, ref: PageRef, which: 'all' | 'upcoming' | 'active') {
  const byId = componentsById(view, ref);
  return [
    ...(which === 'upcoming'
      ? []
      : view.activeMaintenances.map((m) => maintenanceOf(m, 'in_progress', ref, byId))),
    ...(which === 'active'
      ? []
      : view.upcomingMaintenances.map((m) => maintenanceOf(m, 'scheduled', ref, byId))),
  ];
}

/** The JSON document of one `/api/v2/<file>`, or null for a file Statuspage does not have. */
export function statuspageDocument(file: string, view: StatusPageView, ref: PageRef): object | null {
  const page = pageOf(view, ref);
  switch (file) {
    case 'summary.json':
      return {
        page,
        components: componentsOf(view, ref),
        incidents: incidentsOf(view, ref, 'unresolved'),
        scheduled_maintenances: maintenancesOf(view, ref, 'all'),
        status: statusOf(view),
      };
    case 'status.json':
      return { page, status: statusOf(view) };
    case 'components.json':
      return { page, components: componentsOf(view, ref) };
    case 'incidents.json':
      return { page, incidents: incidentsOf(view, ref, 'all') };
    case 'incidents/unresolved.json':
      return { page, incidents: incidentsOf(view, ref, 'unresolved') };
    case 'scheduled-maintenances.json':
      return { page, scheduled_maintenances: maintenancesOf(view, ref, 'all') };
    case 'scheduled-maintenances/upcoming.json':
      return { page, scheduled_maintenances: maintenancesOf(view, ref, 'upcoming') };
    case 'scheduled-maintenances/active.json':
      return { page, scheduled_maintenances: maintenancesOf(view, ref, 'active') };
    default:
      return null;
  }
}
