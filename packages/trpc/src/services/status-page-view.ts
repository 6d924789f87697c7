import type {
  ComponentStatus,
  IncidentImpact,
  IncidentStatus,
  StatusPageVisibility,
} from '@sextant/db/enums';

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
  /** The environments shown; 'all' for every environment. */
  environments: string[] | 'all';
  /** In page order; on a public page, public services only. */
  components: { serviceId: string; slug: string; name: string; group: string | null }[];
}
