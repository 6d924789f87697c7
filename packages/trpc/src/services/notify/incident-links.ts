/**
 * Owner of `incident_alert_groups` (issue 15, Alerting II): in the flush's transaction, after its groups are locked
 * (so one instance alone decides a group's tick), a group whose route has the incident option and that fires with
 * no open incident linked opens one (incidents.ts writes it); a group linked to open incidents joins them: its
 * alerts' state is recorded on every tick, and new firing alerts get an internal timeline entry. Nothing resolves
 * an incident here: `incidents.get` only suggests it once every linked alert is resolved.
 */
import type { LinkedAlert, Queries } from '@sextant/db';
import { INCIDENT_LIMITS } from '../../limits';
import { noteAlertsJoined, openIncidentFromAlerts } from '../incidents';
import type { TickAlert } from './dedup';
import { type ClaimedGroup, claimKey, type GroupMember } from './groups';
import { type AlertNow, mergeAtTick } from './incident-link-reads';
import type { ResolvedRoute } from './routing';

/** A group's tick as the flush decided it, in its transaction. */
export interface LinkTick {
  claim: ClaimedGroup;
  route: ResolvedRoute;
  groupLabels: Record<string, string>;
  members: readonly GroupMember[];
  alerts: readonly TickAlert[];
}

/** Alert names a timeline entry lists before "and N more". */
const NAMES_LISTED = 5;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function alertsNow(t: LinkTick): AlertNow[] {
  const labels = new Map(t.members.map((m) => [m.fingerprint, m.labels]));
  return t.alerts.map((a) => ({
    fingerprint: a.fingerprint,
    alertname: labels.get(a.fingerprint)?.alertname ?? null,
    resolved: a.resolved,
  }));
}

const listed = (alerts: readonly AlertNow[]) => {
  const names = alerts.slice(0, NAMES_LISTED).map((a) => `${a.alertname ?? 'alert'} (${a.fingerprint})`);
  const more = alerts.length - NAMES_LISTED;
  return `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
};

/** The incident's title: the alert name, then the group's other labels ("HighLatency: service=api"). */
export function incidentTitle(t: Pick<LinkTick, 'groupLabels' | 'route'>, firing: readonly AlertNow[]) {
  const name = t.groupLabels.alertname ?? firing.find((a) => a.alertname)?.alertname;
  const rest = Object.entries(t.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const head = name ?? `Alerts of route ${t.route.id}`;
  return clip(rest ? `${head}: ${rest}` : head, INCIDENT_LIMITS.titleLength);
}

/** Opens the group's incident: severity from the route, impacts from the firing alerts' service/environment. */
async function openFor(tx: Queries, t: LinkTick, current: readonly AlertNow[]): Promise<string> {
  const firing = current.filter((a) => !a.resolved);
  const firingMembers = t.members.filter((m) => firing.some((a) => a.fingerprint === m.fingerprint));
  const startedAt = Math.min(...firingMembers.map((m) => m.startsAt.getTime()), t.claim.tickAt);
  const pairs = new Map<string, { service: string; environment: string }>();
  for (const { labels } of firingMembers)
    if (labels.service && labels.environment)
      pairs.set(JSON.stringify([labels.service, labels.environment.toLowerCase()]), {
        service: labels.service,
        environment: labels.environment,
      });
  return openIncidentFromAlerts(tx, {
    title: incidentTitle(t, firing),
    severity: t.route.incident!.severity,
    startedAt: new Date(startedAt),
    detectedAt: new Date(t.claim.tickAt),
    impacts: [...pairs.values()],
    note: clip(
      `Opened by route "${t.route.id}" for alert group ${t.claim.groupKey}: ${firing.length} firing — ${listed(firing)}.`,
      INCIDENT_LIMITS.updateBodyLength,
    ),
    source: { routeId: t.claim.routeId, groupKey: t.claim.groupKey },
  });
}

interface LinkRow {
  incidentId: string;
  routeId: string;
  groupKey: string;
  linkedAt: Date;
  alerts: LinkedAlert[];
  allResolvedAt: Date | null;
}

/**
 * Opens or joins incidents for the ticks (see the file head), in the flush's transaction after its group locks: one
 * read of the open links and one write of every link's state; an opening or a join note costs its own statements
 * (rare: once per incident, or when new alerts fire).
 */
export async function syncIncidentLinks(tx: Queries, ticks: readonly LinkTick[]): Promise<void> {
  if (ticks.length === 0) return;
  const keys = JSON.stringify(ticks.map((t) => ({ route_id: t.claim.routeId, group_key: t.claim.groupKey })));
  const open = await tx<LinkRow[]>`
    select l.incident_id as "incidentId", l.route_id as "routeId", l.group_key as "groupKey",
      l.linked_at as "linkedAt", l.alerts, l.all_resolved_at as "allResolvedAt"
    from incident_alert_groups l
    join jsonb_to_recordset(${keys}::jsonb) as k(route_id text, group_key text)
      on l.route_id = k.route_id and l.group_key = k.group_key
    join incidents i on i.id = l.incident_id and i.status <> 'resolved'
    order by l.incident_id`;
  const byGroup = new Map<string, LinkRow[]>();
  for (const l of open) byGroup.set(claimKey(l), [...(byGroup.get(claimKey(l)) ?? []), l]);
  const writes: (LinkRow & { groupLabels: Record<string, string> })[] = [];
  const tickAt = (t: LinkTick) => new Date(t.claim.tickAt);
  for (const t of ticks) {
    const current = alertsNow(t);
    const links = byGroup.get(claimKey(t.claim)) ?? [];
    if (links.length === 0) {
      // Only an alert that would be notified opens one: a silenced or muted group stays quiet here too.
      if (!t.route.incident || !t.alerts.some((a) => !a.resolved && !a.suppressed)) continue;
      const incidentId = await openFor(tx, t, current);
      const { routeId, groupKey } = t.claim;
      const allResolvedAt = null;
      writes.push({
        incidentId,
        routeId,
        groupKey,
        linkedAt: tickAt(t),
        alerts: current,
        allResolvedAt,
        groupLabels: t.groupLabels,
      });
      continue;
    }
    for (const link of links) {
      const alerts = mergeAtTick(link.alerts, current);
      const wasFiring = new Set(link.alerts.filter((a) => !a.resolved).map((a) => a.fingerprint));
      const joined = alerts.filter((a) => !a.resolved && !wasFiring.has(a.fingerprint));
      if (joined.length > 0)
        await noteAlertsJoined(
          tx,
          link.incidentId,
          clip(
            `${joined.length} alert(s) of the linked group fire: ${listed(joined)}.`,
            INCIDENT_LIMITS.updateBodyLength,
          ),
          {
            routeId: t.claim.routeId,
            groupKey: t.claim.groupKey,
            fingerprints: joined.map((a) => a.fingerprint),
          },
        );
      const allResolved = alerts.every((a) => a.resolved);
      writes.push({
        ...link,
        alerts,
        allResolvedAt: allResolved ? (link.allResolvedAt ?? tickAt(t)) : null,
        groupLabels: t.groupLabels,
      });
    }
  }
  await writeLinks(tx, writes, ticks);
}

/** Every link's state after the batch's ticks, set-based; a new link is inserted, a known one updated. */
async function writeLinks(
  tx: Queries,
  writes: readonly (LinkRow & { groupLabels: Record<string, string> })[],
  ticks: readonly LinkTick[],
) {
  if (writes.length === 0) return;
  const tickOf = new Map(ticks.map((t) => [claimKey(t.claim), t.claim.tickAt]));
  const rows = writes.map((w) => ({
    incident_id: w.incidentId,
    route_id: w.routeId,
    group_key: w.groupKey,
    group_labels: w.groupLabels,
    linked_at: w.linkedAt.toISOString(),
    alerts: w.alerts,
    last_tick_at: new Date(tickOf.get(claimKey(w))!).toISOString(),
    all_resolved_at: w.allResolvedAt?.toISOString() ?? null,
  }));
  await tx`
    insert into incident_alert_groups (incident_id, route_id, group_key, group_labels, linked_at, alerts,
      last_tick_at, all_resolved_at)
    select r.incident_id, r.route_id, r.group_key, r.group_labels, r.linked_at, r.alerts, r.last_tick_at,
      r.all_resolved_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(incident_id uuid, route_id text, group_key text,
      group_labels jsonb, linked_at timestamptz, alerts jsonb, last_tick_at timestamptz, all_resolved_at timestamptz)
    on conflict (incident_id, route_id, group_key) do update set alerts = excluded.alerts,
      last_tick_at = excluded.last_tick_at, all_resolved_at = excluded.all_resolved_at`;
}
