import { type DbOrTx, eq, inArray, type Queries, schema, writeAudit } from '@sextant/db';
import type { IncidentSeverity, IncidentStatus } from '@sextant/db/enums';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { INCIDENT_LIMITS } from '../limits';
import {
  type IncidentCreateInput,
  type IncidentPatch,
  type IncidentUpdateInput,
  isLegalTransition,
} from '../schemas/incidents';
import { audit } from './audit';
import { autoLinkDeployments } from './incident-deployments';
import { incidentDurations, transitionStamps } from './incident-times';
import { enqueueIncidentNotice } from './status-page-notices';
import { assertEnabledUser } from './users';

const { incidents, incidentImpacts, incidentUpdates, services, environments } = schema;
type Row = typeof incidents.$inferSelect;
type ImpactInput = IncidentCreateInput['impacts'][number];

/** The incident, locked for the rest of the transaction when `lock` (every change reads it so). */
export async function getIncidentRow(db: DbOrTx, id: string, lock = false) {
  const query = db.select().from(incidents).where(eq(incidents.id, id)).limit(1);
  const [row] = await (lock ? query.for('update') : query);
  if (!row) throw new AppError('NOT_FOUND', 'No such incident.');
  return row;
}

/** The user a change is made by; an API key acts for nobody in particular, so it is recorded in the audit only. */
const actorUserId = (ctx: ChangeContext) => (ctx.identity?.type === 'user' ? ctx.identity.userId : null);

export const presentIncident = (row: Row) => ({ ...row, ...incidentDurations(row) });

/** A commander must be an existing, enabled user. */
const assertCommander = (db: DbOrTx, id: string | null | undefined) =>
  assertEnabledUser(db, id, 'commanderId', 'be the commander');

/** Detection cannot come before the impact began. */
function assertOrder(startedAt: Date, detectedAt: Date) {
  if (detectedAt < startedAt)
    throw new AppError('VALIDATION_FAILED', 'Detected at cannot be before started at.', ['detectedAt']);
}

/** Every service and environment named must exist; the first unknown one is refused with its path. */
async function assertImpactRefs(db: DbOrTx, impacts: ImpactInput[], path: string) {
  if (impacts.length === 0) return;
  const serviceIds = [...new Set(impacts.map((i) => i.serviceId))];
  const environmentIds = [...new Set(impacts.map((i) => i.environmentId))];
  const [knownServices, knownEnvironments] = await Promise.all([
    db.select({ id: services.id }).from(services).where(inArray(services.id, serviceIds)),
    db.select({ id: environments.id }).from(environments).where(inArray(environments.id, environmentIds)),
  ]);
  const s = new Set(knownServices.map((r) => r.id));
  const e = new Set(knownEnvironments.map((r) => r.id));
  impacts.forEach((i, index) => {
    if (!s.has(i.serviceId)) throw new AppError('NOT_FOUND', 'No such service.', [path, index, 'serviceId']);
    if (!e.has(i.environmentId))
      throw new AppError('NOT_FOUND', 'No such environment.', [path, index, 'environmentId']);
  });
}

async function writeImpacts(tx: DbOrTx, incidentId: string, impacts: ImpactInput[]) {
  if (impacts.length === 0) return [];
  return tx
    .insert(incidentImpacts)
    .values(impacts.map((i) => ({ ...i, incidentId })))
    .returning();
}

async function writeUpdate(
  tx: DbOrTx,
  ctx: ChangeContext,
  incidentId: string,
  status: IncidentStatus,
  update: IncidentUpdateInput,
) {
  // created_at from the database (microseconds, per transaction), so the timeline's order is the commit order.
  const [row] = await tx
    .insert(incidentUpdates)
    .values({ incidentId, status, ...update, authorId: actorUserId(ctx) })
    .returning();
  return row!;
}

/** What the audit log keeps of a timeline entry: not the markdown, which the timeline itself holds. */
const auditedUpdate = (u: typeof incidentUpdates.$inferSelect) => ({
  updateId: u.id,
  status: u.status,
  visibility: u.visibility,
  length: u.body.length,
});

export async function createIncident(ctx: ChangeContext, input: IncidentCreateInput) {
  return ctx.db.transaction(async (tx) => {
    const now = new Date();
    // Set from this clock, not the database's: the list's cursor carries milliseconds only.
    const startedAt = input.startedAt ?? now;
    const detectedAt = input.detectedAt ?? (input.startedAt && input.startedAt > now ? input.startedAt : now);
    assertOrder(startedAt, detectedAt);
    await assertCommander(tx, input.commanderId);
    await assertImpactRefs(tx, input.impacts, 'impacts');
    const [row] = await tx
      .insert(incidents)
      .values({
        title: input.title,
        severity: input.severity,
        commanderId: input.commanderId ?? null,
        startedAt,
        detectedAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const impacts = await writeImpacts(tx, row!.id, input.impacts);
    const update = input.update ? await writeUpdate(tx, ctx, row!.id, row!.status, input.update) : null;
    const deployments = await autoLinkDeployments(tx, row!.id, startedAt);
    await audit(tx, ctx, {
      action: 'incident.create',
      targetType: 'incident',
      targetId: row!.id,
      after: {
        ...row,
        impacts: impacts.map(auditedImpact),
        update: update && auditedUpdate(update),
        linkedDeployments: deployments.map((d) => d.deploymentId),
      },
    });
    // Subscribers hear of it in this transaction: committed together, or not at all.
    await enqueueIncidentNotice(tx, {
      event: 'incident.created',
      incident: row!,
      update,
      nowMs: now.getTime(),
    });
    return { ...presentIncident(row!), impacts, updates: update ? [update] : [] };
  });
}

export async function updateIncident(ctx: ChangeContext, id: string, patch: IncidentPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getIncidentRow(tx, id, true);
    const startedAt = patch.startedAt ?? before.startedAt;
    const detectedAt = patch.detectedAt ?? before.detectedAt;
    assertOrder(startedAt, detectedAt);
    if (patch.commanderId !== undefined) await assertCommander(tx, patch.commanderId);
    const [after] = await tx
      .update(incidents)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(incidents.id, id))
      .returning();
    await audit(tx, ctx, { action: 'incident.update', targetType: 'incident', targetId: id, before, after });
    return presentIncident(after!);
  });
}

/** Refused moves name both states and change nothing (the check runs before any write). */
export async function transitionIncident(
  ctx: ChangeContext,
  id: string,
  to: IncidentStatus,
  update?: IncidentUpdateInput,
) {
  return ctx.db.transaction(async (tx) => {
    const before = await getIncidentRow(tx, id, true);
    const from = before.status;
    if (!isLegalTransition(from, to))
      throw new AppError('INCIDENT_ILLEGAL_TRANSITION', `An incident cannot go from ${from} to ${to}.`, [
        'status',
      ]);
    const now = new Date();
    const [after] = await tx
      .update(incidents)
      .set({ status: to, ...transitionStamps(before, from, to, now, actorUserId(ctx)), updatedAt: now })
      .where(eq(incidents.id, id))
      .returning();
    const entry = await writeUpdate(
      tx,
      ctx,
      id,
      to,
      update ?? { body: statusNote(from, to), visibility: 'public' },
    );
    await audit(tx, ctx, {
      action: 'incident.transition',
      targetType: 'incident',
      targetId: id,
      before,
      after: { ...after, update: auditedUpdate(entry) },
    });
    // Resolved is always told (the body only when public); another move only with a public update.
    if (to === 'resolved' || entry.visibility === 'public')
      await enqueueIncidentNotice(tx, {
        event: to === 'resolved' ? 'incident.resolved' : 'incident.updated',
        incident: after!,
        update: entry,
        nowMs: now.getTime(),
      });
    return { ...presentIncident(after!), update: entry };
  });
}

const statusNote = (from: IncidentStatus, to: IncidentStatus) =>
  from === 'resolved' ? `Reopened: ${to}.` : `Status changed from ${from} to ${to}.`;

/** Records who acknowledged and when; an incident already acknowledged keeps its first acknowledgement. */
export async function acknowledgeIncident(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getIncidentRow(tx, id, true);
    if (before.acknowledgedAt) return presentIncident(before);
    const now = new Date();
    const [after] = await tx
      .update(incidents)
      .set({ acknowledgedAt: now, acknowledgedBy: actorUserId(ctx), updatedAt: now })
      .where(eq(incidents.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'incident.acknowledge',
      targetType: 'incident',
      targetId: id,
      before: { acknowledgedAt: null, acknowledgedBy: before.acknowledgedBy },
      after: { acknowledgedAt: now, acknowledgedBy: after!.acknowledgedBy },
    });
    return presentIncident(after!);
  });
}

/** A timeline entry at the incident's current status. */
export async function postIncidentUpdate(ctx: ChangeContext, id: string, update: IncidentUpdateInput) {
  return ctx.db.transaction(async (tx) => {
    const incident = await getIncidentRow(tx, id, true);
    const now = new Date();
    const entry = await writeUpdate(tx, ctx, id, incident.status, update);
    await tx.update(incidents).set({ updatedAt: now }).where(eq(incidents.id, id));
    await audit(tx, ctx, {
      action: 'incident.post_update',
      targetType: 'incident',
      targetId: id,
      after: auditedUpdate(entry),
    });
    // An internal note never leaves the building.
    if (entry.visibility === 'public')
      await enqueueIncidentNotice(tx, {
        event: 'incident.updated',
        incident,
        update: entry,
        nowMs: now.getTime(),
      });
    return entry;
  });
}

const auditedImpact = (i: typeof incidentImpacts.$inferSelect) => ({
  serviceId: i.serviceId,
  environmentId: i.environmentId,
  impact: i.impact,
});

/** Replaces the whole set of affected service × environment pairs. */
export async function setIncidentImpacts(ctx: ChangeContext, id: string, impacts: ImpactInput[]) {
  return ctx.db.transaction(async (tx) => {
    await getIncidentRow(tx, id, true);
    await assertImpactRefs(tx, impacts, 'impacts');
    const before = await tx.delete(incidentImpacts).where(eq(incidentImpacts.incidentId, id)).returning();
    const after = await writeImpacts(tx, id, impacts);
    await tx.update(incidents).set({ updatedAt: new Date() }).where(eq(incidents.id, id));
    await audit(tx, ctx, {
      action: 'incident.set_impacts',
      targetType: 'incident',
      targetId: id,
      before: before.map(auditedImpact),
      after: after.map(auditedImpact),
    });
    return after;
  });
}

/** Who opens incidents from alert groups: no user, so the audit names the routing option. */
const ALERT_ROUTING_ACTOR = { type: 'system' as const, id: null, label: 'alert routing' };

/** An incident opened by a route's incident option, in the flush's transaction (notify/incident-links.ts). */
export interface AlertIncidentInput {
  title: string;
  severity: IncidentSeverity;
  startedAt: Date;
  detectedAt: Date;
  /** Service slug × environment name pairs from the alerts' labels; unknown ones are left out. */
  impacts: { service: string; environment: string }[];
  /** The internal timeline entry saying where the incident came from. */
  note: string;
  source: { routeId: string; groupKey: string };
}

/**
 * Opens an incident from an alert group (issue 15, Alerting II) with the flush's postgres.js transaction: the
 * incident, its impacts (partial outage on every named service × environment that exists), an internal timeline
 * entry, and an audit entry by the system. Returns the incident's id.
 */
export async function openIncidentFromAlerts(tx: Queries, input: AlertIncidentInput): Promise<string> {
  const now = new Date();
  const [row] = await tx<Pick<Row, 'id' | 'title' | 'severity' | 'status' | 'startedAt' | 'detectedAt'>[]>`
    insert into incidents (title, severity, started_at, detected_at, created_at, updated_at)
    values (${input.title}, ${input.severity}, ${input.startedAt}, ${input.detectedAt}, ${now}, ${now})
    returning id, title, severity, status, started_at as "startedAt", detected_at as "detectedAt"`;
  const id = row!.id;
  const pairs = input.impacts.slice(0, INCIDENT_LIMITS.impacts);
  const impacts = await tx<{ serviceId: string; environmentId: string; impact: string }[]>`
    insert into incident_impacts (incident_id, service_id, environment_id, impact)
    select distinct ${id}::uuid, s.id, e.id, 'partial_outage'::incident_impact
    from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as p(service text, environment text)
    join services s on s.slug = p.service
    join environments e on lower(e.name) = lower(p.environment)
    on conflict do nothing
    returning service_id as "serviceId", environment_id as "environmentId", impact`;
  const [update] = await tx<{ id: string }[]>`
    insert into incident_updates (incident_id, status, body, visibility)
    values (${id}, ${row!.status}, ${input.note}, 'internal') returning id`;
  const deployments = await autoLinkDeployments(tx, id, input.startedAt);
  await writeAudit(tx, {
    actor: ALERT_ROUTING_ACTOR,
    action: 'incident.create',
    targetType: 'incident',
    targetId: id,
    after: {
      ...row,
      impacts,
      update: { updateId: update!.id, visibility: 'internal' },
      linkedDeployments: deployments.map((d) => d.deploymentId),
      source: input.source,
    },
  });
  return id;
}

/** New alerts joined an open incident's linked group: an internal timeline entry, audited as the system's. */
export async function noteAlertsJoined(
  tx: Queries,
  incidentId: string,
  note: string,
  source: { routeId: string; groupKey: string; fingerprints: string[] },
): Promise<void> {
  const [update] = await tx<{ id: string; status: IncidentStatus }[]>`
    insert into incident_updates (incident_id, status, body, visibility)
    select id, status, ${note}, 'internal' from incidents where id = ${incidentId}
    returning id, status`;
  if (!update) return;
  await tx`update incidents set updated_at = ${new Date()} where id = ${incidentId}`;
  await writeAudit(tx, {
    actor: ALERT_ROUTING_ACTOR,
    action: 'incident.alerts_join',
    targetType: 'incident',
    targetId: incidentId,
    after: { updateId: update.id, status: update.status, ...source },
  });
}
