/** The incidents' reads: the list and one incident with everything its page shows. */
import { and, type DbOrTx, desc, eq, inArray, lt, ne, or, schema, sql } from '@sextant/db';
import { INCIDENT_LIMITS } from '../limits';
import type { IncidentListInput } from '../schemas/incidents';
import { listActionItems } from './incident-action-items';
import { lastDeploymentBefore, linkedDeploymentsOf } from './incident-deployments';
import { getIncidentRow, presentIncident } from './incidents';
import { linkedGroupsOf, suggestsResolve } from './notify/incident-link-reads';

const { incidents, incidentImpacts, incidentUpdates, services, environments, users } = schema;

/** Newest start first, keyset-paginated on (started_at, id). */
export async function listIncidents(db: DbOrTx, input: IncidentListInput) {
  const c = input.cursor;
  const rows = await db
    .select()
    .from(incidents)
    .where(
      and(
        input.state === 'open' ? ne(incidents.status, 'resolved') : undefined,
        input.state === 'resolved' ? eq(incidents.status, 'resolved') : undefined,
        input.severity ? inArray(incidents.severity, input.severity) : undefined,
        c
          ? or(
              lt(incidents.startedAt, c.startedAt),
              and(eq(incidents.startedAt, c.startedAt), lt(incidents.id, c.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(incidents.startedAt), desc(incidents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  // One grouped query for the page: the console's list shows how many services each incident affects.
  const counts = items.length
    ? await db
        .select({
          incidentId: incidentImpacts.incidentId,
          n: sql<number>`count(distinct ${incidentImpacts.serviceId})::int`,
        })
        .from(incidentImpacts)
        .where(
          inArray(
            incidentImpacts.incidentId,
            items.map((i) => i.id),
          ),
        )
        .groupBy(incidentImpacts.incidentId)
    : [];
  const affected = new Map(counts.map((c) => [c.incidentId, c.n]));
  return {
    items: items.map((i) => ({ ...presentIncident(i), affectedServices: affected.get(i.id) ?? 0 })),
    nextCursor: rows.length > input.limit && last ? { startedAt: last.startedAt, id: last.id } : null,
  };
}

/**
 * One incident with its impacts (service and environment named), its timeline (newest first), its linked alert
 * groups with `suggestResolve` when it is open and every linked alert is resolved (never resolved for the user), its
 * postmortem action items, the names of the people it mentions (commander, acknowledger, authors) by user id, and
 * its linked deployments with `lastDeployment` (the one that went out last before it started).
 */
export async function getIncident(db: DbOrTx, id: string) {
  const row = await getIncidentRow(db, id);
  const [impacts, updates, actionItems, alertGroups, deployments] = await Promise.all([
    db
      .select({
        id: incidentImpacts.id,
        serviceId: incidentImpacts.serviceId,
        serviceName: services.name,
        serviceSlug: services.slug,
        environmentId: incidentImpacts.environmentId,
        environmentName: environments.name,
        impact: incidentImpacts.impact,
      })
      .from(incidentImpacts)
      .innerJoin(services, eq(services.id, incidentImpacts.serviceId))
      .innerJoin(environments, eq(environments.id, incidentImpacts.environmentId))
      .where(eq(incidentImpacts.incidentId, id))
      .orderBy(services.name, environments.position),
    db
      .select()
      .from(incidentUpdates)
      .where(eq(incidentUpdates.incidentId, id))
      .orderBy(desc(incidentUpdates.createdAt), desc(incidentUpdates.id))
      .limit(INCIDENT_LIMITS.updatesShown),
    listActionItems(db, id),
    linkedGroupsOf(db, id),
    linkedDeploymentsOf(db, id),
  ]);
  const mentioned = [row.commanderId, row.acknowledgedBy, ...updates.map((u) => u.authorId)];
  const people = await peopleByIds(db, mentioned);
  return {
    ...presentIncident(row),
    impacts,
    updates,
    alertGroups,
    suggestResolve: suggestsResolve(row.status, alertGroups),
    actionItems,
    people,
    deployments,
    lastDeployment: lastDeploymentBefore(deployments, row.startedAt),
  };
}

/** Display names (the name, else the email) of the given users, by id; unknown ids are left out. */
async function peopleByIds(db: DbOrTx, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return {};
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, wanted));
  return Object.fromEntries(rows.map((u) => [u.id, u.name || u.email]));
}
