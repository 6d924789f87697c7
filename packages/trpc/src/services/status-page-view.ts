import type { Sql } from '@sextant/db';
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  INCIDENT_IMPACTS,
  type IncidentImpact,
  type IncidentStatus,
  type MonitorStatus,
  type StatusPageVisibility,
} from '@sextant/db/enums';
import { AppError } from '../errors';
import { STATUS_PAGE_LIMITS as L } from '../limits';
import { type Occurrence, occurrencesBetween, type ScheduledWindow } from './maintenance-schedule';
import { serviceStates } from './services';
import { dailyBars } from './uptime';

// The view model of a status page: what `statusPages.view` (and `status.get`) returns. Only what the public may
// read: no users, check URLs, hosts, error texts or internal updates, so nothing here can be reached from those.

/** One public timeline entry of an incident; the author is never shown. */
export interface StatusPageUpdateView {
  status: IncidentStatus;
  /** Markdown, rendered inert. */
  body: string;
  createdAt: Date;
}

/** An incident as a page shows it: only its impacts on the page's components in the page's environments. */
export interface StatusPageIncidentView {
  id: string;
  title: string;
  status: IncidentStatus;
  /** The worst impact among the page's components. */
  impact: IncidentImpact;
  startedAt: Date;
  resolvedAt: Date | null;
  /** Keys (`StatusPageComponentView.key`) of the affected components. */
  components: string[];
  /** Public updates only, newest first. */
  updates: StatusPageUpdateView[];
}

/** One occurrence of a maintenance window touching the page's components. */
export interface StatusPageMaintenanceView {
  id: string;
  title: string;
  /** The window's announcement text (markdown, rendered inert); '' when none. */
  description: string;
  startsAt: Date;
  endsAt: Date;
  components: string[];
}

/** An incident that overlapped a bar's day, for the bar's hover. */
export interface StatusPageBarIncident {
  id: string;
  title: string;
  impact: IncidentImpact;
}

/** One UTC day of a component's uptime (time-based, maintenance excluded); `uptime` null when nothing was observed. */
export interface StatusPageBarView {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  uptime: number | null;
  incidents: StatusPageBarIncident[];
}

export interface StatusPageComponentView {
  /** Stable key for the component: its service's slug. */
  key: string;
  /** The service's name. */
  name: string;
  group: string | null;
  status: ComponentStatus;
  /** No monitor of the service has a known state in the page's environments (shown as "no data"). */
  noData: boolean;
  /** 90 days, oldest first. */
  bars: StatusPageBarView[];
}

/** Components in one group (or ungrouped, `name` null), in page order. */
export interface StatusPageGroupView {
  name: string | null;
  components: StatusPageComponentView[];
}

export interface StatusPageView {
  /** Null for the virtual "all public services" page behind `status.get`. */
  slug: string | null;
  title: string;
  logoUrl: string | null;
  footer: string | null;
  visibility: StatusPageVisibility;
  /** The page offers "Subscribe to updates" by email (public, with a mail integration). */
  emailSubscriptions: boolean;
  /** The worst component status; `operational` on a page without components. */
  overall: ComponentStatus;
  groups: StatusPageGroupView[];
  /** Open incidents affecting the page, newest first. */
  activeIncidents: StatusPageIncidentView[];
  /** Occurrences in progress now. */
  activeMaintenances: StatusPageMaintenanceView[];
  /** Occurrences starting within the next 7 days, soonest first. */
  upcomingMaintenances: StatusPageMaintenanceView[];
  /** Incidents resolved in the last 90 days, newest first. */
  history: StatusPageIncidentView[];
  generatedAt: Date;
}

/** What the builder needs to know of a page (a stored one, or the virtual one of `status.get`). */
export interface StatusPageSpec {
  slug: string | null;
  title: string;
  logoUrl: string | null;
  footer: string | null;
  visibility: StatusPageVisibility;
  emailSubscriptions: boolean;
  /** The environments shown; 'all' for every environment. */
  environments: string[] | 'all';
  /** In page order; on a public page, public services only. */
  components: { serviceId: string; slug: string; name: string; group: string | null }[];
}

const DAY = 86_400_000;
const BAR_DAYS = 90;
/** Rows of incidents × affected services one build reads at most (bars, active and history together). */
const INCIDENT_ROWS = 2_000;
/** Maintenance rows × targets one build reads at most. */
const MAINTENANCE_ROWS = 1_000;

const rank = (s: ComponentStatus) => COMPONENT_STATUSES.indexOf(s);
const worst = (a: ComponentStatus, b: ComponentStatus) => (rank(b) > rank(a) ? b : a);
const worstImpact = (a: IncidentImpact, b: IncidentImpact) =>
  INCIDENT_IMPACTS.indexOf(b) > INCIDENT_IMPACTS.indexOf(a) ? b : a;

/** What a monitor's state says of its component; unknown and no monitors say nothing. */
function fromMonitor(state: MonitorStatus | undefined): ComponentStatus {
  if (state === 'down') return 'major_outage';
  if (state === 'degraded') return 'degraded_performance';
  return 'operational';
}

/**
 * A stored page by slug, with the components it may show: on a public page, public services only. Reads the
 * primary (`sql`), so a view built right after a change's NOTIFY sees that change.
 */
export async function loadStatusPageSpec(sql: Sql, slug: string): Promise<StatusPageSpec> {
  const [page] = await sql<(Omit<StatusPageSpec, 'environments' | 'components'> & { id: string })[]>`
    select id, slug, title, logo_url as "logoUrl", footer, visibility,
      visibility = 'public' and exists (select 1 from receiver_integrations ri
        where ri.id = mail_integration_id and ri.kind = 'email') as "emailSubscriptions"
    from status_pages where slug = ${slug}`;
  if (!page) throw new AppError('NOT_FOUND', 'No such status page.');
  const [envs, components] = await Promise.all([
    sql<
      { id: string }[]
    >`select environment_id as id from status_page_environments where page_id = ${page.id}`,
    // A service made private after it was put on a public page silently leaves the page.
    sql<StatusPageSpec['components']>`
      select s.id as "serviceId", s.slug, s.name, c.group_name as "group"
      from status_page_components c join services s on s.id = c.service_id
      where c.page_id = ${page.id} and (${page.visibility === 'private'} or s.is_public)
      order by c.position`,
  ]);
  const { id: _id, ...shown } = page;
  return { ...shown, environments: envs.map((e) => e.id), components: [...components] };
}

/** The virtual page behind `status.get`: every public service, every environment. */
export async function allPublicServicesSpec(sql: Sql): Promise<StatusPageSpec> {
  const rows = await sql<StatusPageSpec['components']>`
    select id as "serviceId", slug, name, null::text as "group" from services where is_public order by name`;
  return {
    slug: null,
    title: 'Service status',
    logoUrl: null,
    footer: null,
    visibility: 'public',
    emailSubscriptions: false,
    environments: 'all',
    components: [...rows],
  };
}

interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  startedAt: Date;
  resolvedAt: Date | null;
  serviceId: string;
  impact: IncidentImpact;
}

/** Builds a page's view from the primary database: a fixed number of queries whatever the page's size. */
export async function buildStatusPageView(
  sql: Sql,
  page: StatusPageSpec,
  now = new Date(),
): Promise<StatusPageView> {
  const ids = page.components.map((c) => c.serviceId);
  const envs = page.environments === 'all' ? null : page.environments;
  const inEnvs = (col: string) => (envs ? sql`and (${sql(col)} = any(${envs}::uuid[]))` : sql``);
  const barsFrom = new Date(Math.floor(now.getTime() / DAY) * DAY - (BAR_DAYS - 1) * DAY);
  const horizon = new Date(now.getTime() + L.upcomingDays * DAY);
  const none = ids.length === 0;
  const [states, incidentRows, maintenanceRows, bars] = await Promise.all([
    // Known states only: a check not yet run does not turn its component to "no data".
    serviceStates(sql, ids, { environmentIds: envs ?? undefined, knownOnly: true }),
    none
      ? []
      : sql<IncidentRow[]>`
      select i.id, i.title, i.status, i.started_at as "startedAt", i.resolved_at as "resolvedAt",
        ii.service_id as "serviceId",
        (array_agg(ii.impact order by ii.impact desc))[1] as impact
      from incidents i join incident_impacts ii on ii.incident_id = i.id
      where ii.service_id = any(${ids}::uuid[]) ${inEnvs('ii.environment_id')}
        and (i.status <> 'resolved' or i.resolved_at >= ${barsFrom}) and i.started_at <= ${now}
      group by i.id, ii.service_id
      order by i.started_at desc limit ${INCIDENT_ROWS}`,
    none
      ? []
      : sql<(ScheduledWindow & { id: string; title: string; description: string; serviceId: string })[]>`
      select distinct m.id, m.title, m.description, m.starts_at as "startsAt", m.ends_at as "endsAt", m.rrule,
        m.time_zone as "timeZone", t.service_id as "serviceId"
      from maintenances m join maintenance_targets t on t.maintenance_id = m.id
      where t.service_id = any(${ids}::uuid[]) ${inEnvs('t.environment_id')}
        and m.cancelled_at is null and m.starts_at < ${horizon} and m.series_ends_at > ${now}
      order by m.id limit ${MAINTENANCE_ROWS}`,
    dailyBars(sql, ids, BAR_DAYS, envs ?? undefined),
  ]);
  const keyOf = new Map(page.components.map((c) => [c.serviceId, c.slug]));
  const stateOf = new Map([...states].map(([id, s]) => [id, s.status]));

  // Incidents: one entry per incident with its worst impact on the page and the components it touches.
  const incidents = new Map<string, StatusPageIncidentView>();
  const openImpact = new Map<string, IncidentImpact>();
  for (const r of incidentRows) {
    const known = incidents.get(r.id);
    if (known) {
      known.impact = worstImpact(known.impact, r.impact);
      known.components.push(keyOf.get(r.serviceId)!);
    } else {
      const { serviceId, ...rest } = r;
      incidents.set(r.id, { ...rest, components: [keyOf.get(serviceId)!], updates: [] });
    }
    if (r.status !== 'resolved') {
      const had = openImpact.get(r.serviceId);
      openImpact.set(r.serviceId, had ? worstImpact(had, r.impact) : r.impact);
    }
  }
  const shown = [...incidents.values()];
  const active = shown.filter((i) => i.status !== 'resolved');
  const history = shown
    .filter((i) => i.status === 'resolved')
    .sort((a, b) => b.resolvedAt!.getTime() - a.resolvedAt!.getTime())
    .slice(0, L.historyIncidents);
  await attachPublicUpdates(sql, [...active, ...history]);

  // Maintenance: each occurrence overlapping [now, horizon), per window, with the components it covers.
  const byWindow = new Map<string, { w: (typeof maintenanceRows)[number]; components: string[] }>();
  for (const m of maintenanceRows) {
    const entry = byWindow.get(m.id) ?? { w: m, components: [] };
    entry.components.push(keyOf.get(m.serviceId)!);
    byWindow.set(m.id, entry);
  }
  const activeMaintenances: StatusPageMaintenanceView[] = [];
  const upcomingMaintenances: StatusPageMaintenanceView[] = [];
  const inMaintenance = new Set<string>();
  for (const { w, components } of byWindow.values()) {
    const occurrences: Occurrence[] = occurrencesBetween(w, now, horizon);
    for (const o of occurrences) {
      const view = {
        id: w.id,
        title: w.title,
        description: w.description,
        startsAt: o.start,
        endsAt: o.end,
        components,
      };
      if (o.start <= now) {
        activeMaintenances.push(view);
        for (const c of components) inMaintenance.add(c);
      } else upcomingMaintenances.push(view);
    }
  }
  upcomingMaintenances.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  const components: (StatusPageComponentView & { group: string | null })[] = page.components.map((c) => {
    const state = stateOf.get(c.serviceId);
    const maintained = inMaintenance.has(c.slug);
    // A monitor failing inside its maintenance window is expected; incidents still show.
    let status: ComponentStatus = maintained ? 'under_maintenance' : fromMonitor(state);
    const impact = openImpact.get(c.serviceId);
    if (impact) status = worst(status, impact);
    const days = bars.get(c.serviceId) ?? [];
    const touching = shown.filter((i) => i.components.includes(c.slug));
    return {
      key: c.slug,
      name: c.name,
      group: c.group,
      status,
      noData: state === undefined || state === 'unknown',
      bars: days.map((b) => ({
        day: b.day,
        uptime: b.uptime,
        incidents: incidentsOn(touching, b.day, now),
      })),
    };
  });
  return {
    slug: page.slug,
    title: page.title,
    logoUrl: page.logoUrl,
    footer: page.footer,
    visibility: page.visibility,
    emailSubscriptions: page.emailSubscriptions,
    overall: components.reduce<ComponentStatus>((o, c) => worst(o, c.status), 'operational'),
    groups: groupsOf(components),
    activeIncidents: active,
    activeMaintenances,
    upcomingMaintenances,
    history,
    generatedAt: now,
  };
}

/** Of one component's incidents, those that overlapped one UTC day. */
function incidentsOn(touching: StatusPageIncidentView[], day: string, now: Date): StatusPageBarIncident[] {
  const from = Date.parse(`${day}T00:00:00Z`);
  const to = from + DAY;
  return touching
    .filter((i) => i.startedAt.getTime() < to && (i.resolvedAt ?? now).getTime() >= from)
    .map((i) => ({ id: i.id, title: i.title, impact: i.impact }));
}

/** Consecutive components of one group form one block, in page order. */
function groupsOf(components: StatusPageComponentView[]): StatusPageGroupView[] {
  const groups: StatusPageGroupView[] = [];
  const byName = new Map<string | null, StatusPageGroupView>();
  for (const c of components) {
    let g = byName.get(c.group);
    if (!g) {
      g = { name: c.group, components: [] };
      byName.set(c.group, g);
      groups.push(g);
    }
    g.components.push(c);
  }
  return groups;
}

/** Public updates only, newest first, at most updatesPerIncident each; never the author. */
async function attachPublicUpdates(sql: Sql, incidents: StatusPageIncidentView[]) {
  if (incidents.length === 0) return;
  const rows = await sql<(StatusPageUpdateView & { incidentId: string })[]>`
    select "incidentId", status, body, "createdAt" from (
      select incident_id as "incidentId", status, body, created_at as "createdAt",
        row_number() over (partition by incident_id order by created_at desc) as n
      from incident_updates
      where incident_id = any(${incidents.map((i) => i.id)}::uuid[]) and visibility = 'public'
    ) u where n <= ${L.updatesPerIncident} order by "createdAt" desc`;
  const byId = new Map(incidents.map((i) => [i.id, i]));
  for (const { incidentId, ...u } of rows) byId.get(incidentId)?.updates.push(u);
}

/** When a built view stops being right by the clock alone: the next maintenance start or end it shows. */
export function nextBoundary(view: StatusPageView, now = new Date()): Date | null {
  const times = [
    ...view.activeMaintenances.map((m) => m.endsAt.getTime()),
    ...view.upcomingMaintenances.map((m) => m.startsAt.getTime()),
  ].filter((t) => t > now.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}
