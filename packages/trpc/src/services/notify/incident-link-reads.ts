/**
 * An incident's linked alert groups as `incidents.get` shows them (issue 15, Alerting II), and the pure merges of a
 * link's alerts the flush (incident-links.ts) and the reads share. No writes here: incident-links.ts owns the table.
 */
import { and, type DbOrTx, eq, inArray, type LinkedAlert, schema } from '@sextant/db';
import { INCIDENT_LIMITS } from '../../limits';

const { incidentAlertGroups, alertGroupMembers } = schema;

/** An alert of a group as a tick or a read sees it now. */
export type AlertNow = LinkedAlert;

/**
 * A link's alerts after a tick: the tick's state wins; an alert the link knew that is no longer in the group left
 * it resolved (members are retired only once their resolve was sent). Known alerts keep their order, new ones follow.
 */
export function mergeAtTick(previous: readonly LinkedAlert[], current: readonly AlertNow[]): LinkedAlert[] {
  const now = new Map(current.map((a) => [a.fingerprint, a]));
  const merged = previous.map((p) => now.get(p.fingerprint) ?? { ...p, resolved: true });
  const known = new Set(previous.map((p) => p.fingerprint));
  return [...merged, ...current.filter((a) => !known.has(a.fingerprint))];
}

/**
 * A link's alerts as read between ticks: a member still in the group shows its state now (a resolve is seen before
 * the next tick); one gone keeps what the last tick recorded; a member that joined since the tick is added.
 */
export function overlayLive(recorded: readonly LinkedAlert[], live: readonly AlertNow[]): LinkedAlert[] {
  const now = new Map(live.map((a) => [a.fingerprint, a]));
  const known = new Set(recorded.map((r) => r.fingerprint));
  return [
    ...recorded.map((r) => now.get(r.fingerprint) ?? r),
    ...live.filter((a) => !known.has(a.fingerprint)),
  ];
}

/** The incident can be suggested for resolution: it is open, it has links, and none of their alerts fires. */
export const suggestsResolve = (status: string, groups: readonly { firing: number }[]) =>
  status !== 'resolved' && groups.length > 0 && groups.every((g) => g.firing === 0);

/**
 * The incident's linked groups, oldest link first, each with its firing and resolved counts and its alerts (firing
 * first, at most INCIDENT_LIMITS.linkedAlertsShown) as they stand at `nowMs`.
 */
export async function linkedGroupsOf(db: DbOrTx, incidentId: string, nowMs = Date.now()) {
  const links = await db
    .select()
    .from(incidentAlertGroups)
    .where(eq(incidentAlertGroups.incidentId, incidentId))
    .orderBy(incidentAlertGroups.linkedAt, incidentAlertGroups.routeId, incidentAlertGroups.groupKey)
    .limit(INCIDENT_LIMITS.linkedGroupsShown);
  const members = links.length
    ? await db
        .select({
          routeId: alertGroupMembers.routeId,
          groupKey: alertGroupMembers.groupKey,
          fingerprint: alertGroupMembers.fingerprint,
          labels: alertGroupMembers.labels,
          endsAt: alertGroupMembers.endsAt,
        })
        .from(alertGroupMembers)
        .where(
          and(
            inArray(alertGroupMembers.routeId, [...new Set(links.map((l) => l.routeId))]),
            inArray(alertGroupMembers.groupKey, [...new Set(links.map((l) => l.groupKey))]),
          ),
        )
    : [];
  return links.map((l) => {
    const live = members
      .filter((m) => m.routeId === l.routeId && m.groupKey === l.groupKey)
      .map((m) => ({
        fingerprint: m.fingerprint,
        alertname: m.labels.alertname ?? null,
        resolved: m.endsAt !== null && m.endsAt.getTime() <= nowMs,
      }));
    const alerts = overlayLive(l.alerts, live);
    const firing = alerts.filter((a) => !a.resolved).length;
    return {
      routeId: l.routeId,
      groupKey: l.groupKey,
      groupLabels: l.groupLabels,
      linkedAt: l.linkedAt,
      lastTickAt: l.lastTickAt,
      allResolvedAt: l.allResolvedAt,
      firing,
      resolved: alerts.length - firing,
      alerts: [...alerts.filter((a) => !a.resolved), ...alerts.filter((a) => a.resolved)].slice(
        0,
        INCIDENT_LIMITS.linkedAlertsShown,
      ),
    };
  });
}
