/**
 * Owner of `incident_deployments`: which deployments an incident names as (possible) causes. An incident's opening
 * links, in its own transaction, the last deployment that went out before its start for each impacted service ×
 * environment ('auto'; see autoLinkDeployments); maintainers link and unlink others ('manual', audited). Reads for
 * the incident page live here too, so the line "last deployment before this incident started" is computed one way.
 */
import { and, type DbOrTx, eq, type Queries, schema, sql, type Writer } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { DORA_LIMITS } from '../limits';
import type { IncidentDeploymentLinkInput } from '../schemas/dora';
import { audit } from './audit';

const { incidentDeployments, incidents, deployments } = schema;
const dialect = new PgDialect({ casing: 'snake_case' });

/** Runs one statement on either kind of handle (the console's Drizzle transaction, the alert flush's postgres.js). */
async function run<T>(on: Writer, statement: SQL): Promise<T[]> {
  if (typeof on === 'function') {
    const q = dialect.sqlToQuery(statement);
    return (await (on as Queries).unsafe(q.sql, q.params as never[])) as unknown as T[];
  }
  return (await on.execute(statement)) as unknown as T[];
}

export interface AutoLink {
  deploymentId: string;
  serviceId: string;
  environmentId: string;
}

/**
 * Links the incident to the last deployment that went out before `startedAt` in each impacted service ×
 * environment (none when a pair has none): the one that started last (or finished, when CI reported it done in one
 * go) among those that ran, whatever became of it. A canary still in progress, or rolled back since, is the change
 * a user suspects; the release before it is not. Queued and failed ones never ran. Call it in the opening
 * transaction, after the impacts.
 */
export function autoLinkDeployments(on: Writer, incidentId: string, startedAt: Date): Promise<AutoLink[]> {
  // The pair's rows through deployments_service_env_finished_idx's prefix, newest start first.
  return run<AutoLink>(
    on,
    sql`
    insert into incident_deployments (incident_id, deployment_id, how)
    select ii.incident_id, d.id, 'auto'
    from incident_impacts ii
    cross join lateral (
      select d.id from deployments d
      where d.service_id = ii.service_id and d.environment_id = ii.environment_id
        and d.state in ('in_progress', 'succeeded', 'rolled_back') -- took traffic
        and coalesce(d.started_at, d.finished_at) < ${startedAt.toISOString()}::timestamptz
      order by coalesce(d.started_at, d.finished_at) desc, d.id desc limit 1
    ) d
    where ii.incident_id = ${incidentId}::uuid
    on conflict do nothing
    returning deployment_id as "deploymentId",
      (select service_id from deployments where id = deployment_id) as "serviceId",
      (select environment_id from deployments where id = deployment_id) as "environmentId"`,
  );
}

const actorUserId = (ctx: ChangeContext) => (ctx.identity?.type === 'user' ? ctx.identity.userId : null);

async function assertBoth(tx: DbOrTx, input: IncidentDeploymentLinkInput) {
  const [[incident], [deployment]] = await Promise.all([
    tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, input.incidentId)).for('update'),
    tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, input.deploymentId)),
  ]);
  if (!incident) throw new AppError('NOT_FOUND', 'No such incident.', ['incidentId']);
  if (!deployment) throw new AppError('NOT_FOUND', 'No such deployment.', ['deploymentId']);
}

const pair = (input: IncidentDeploymentLinkInput) =>
  and(
    eq(incidentDeployments.incidentId, input.incidentId),
    eq(incidentDeployments.deploymentId, input.deploymentId),
  );

/** Names a deployment as a cause; linking a linked one again answers the link and writes nothing. */
export function linkDeployment(ctx: ChangeContext, input: IncidentDeploymentLinkInput) {
  return ctx.db.transaction(async (tx) => {
    await assertBoth(tx, input);
    const [known] = await tx.select().from(incidentDeployments).where(pair(input));
    if (known) return { ...known, created: false };
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(incidentDeployments)
      .where(eq(incidentDeployments.incidentId, input.incidentId))) as [{ n: number }];
    if (n >= DORA_LIMITS.incidentLinks)
      throw new AppError('CONFLICT', `An incident links at most ${DORA_LIMITS.incidentLinks} deployments.`, [
        'deploymentId',
      ]);
    const [row] = await tx
      .insert(incidentDeployments)
      .values({ ...input, how: 'manual', linkedBy: actorUserId(ctx) })
      .returning();
    await audit(tx, ctx, {
      action: 'incident.deployment_link',
      targetType: 'incident',
      targetId: input.incidentId,
      after: row,
    });
    return { ...row!, created: true };
  });
}

/** Removes a link, automatic or manual; an absent link is NOT_FOUND and nothing is written. */
export function unlinkDeployment(ctx: ChangeContext, input: IncidentDeploymentLinkInput) {
  return ctx.db.transaction(async (tx) => {
    await assertBoth(tx, input);
    const [row] = await tx.delete(incidentDeployments).where(pair(input)).returning();
    if (!row)
      throw new AppError('NOT_FOUND', 'That deployment is not linked to this incident.', ['deploymentId']);
    await audit(tx, ctx, {
      action: 'incident.deployment_unlink',
      targetType: 'incident',
      targetId: input.incidentId,
      before: row,
    });
    return { ok: true as const };
  });
}

export interface LinkedDeployment {
  deploymentId: string;
  how: 'auto' | 'manual';
  linkedAt: Date;
  version: string;
  serviceId: string;
  serviceSlug: string;
  serviceName: string;
  environment: string;
  state: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Who reported or promoted it: a user's name or email, else the API key's name. */
  by: string | null;
}

/** The incident's linked deployments, newest finish first (at most DORA_LIMITS.incidentLinks). */
export function linkedDeploymentsOf(db: DbOrTx, incidentId: string): Promise<LinkedDeployment[]> {
  return db.execute(sql`
    select l.deployment_id as "deploymentId", l.how, l.linked_at as "linkedAt", r.version,
      s.id as "serviceId", s.slug as "serviceSlug", s.name as "serviceName", e.name as environment, d.state,
      d.started_at as "startedAt", d.finished_at as "finishedAt", coalesce(nullif(u.name, ''), u.email, k.name) as by
    from incident_deployments l
    join deployments d on d.id = l.deployment_id
    join releases r on r.id = d.release_id
    join services s on s.id = d.service_id
    join environments e on e.id = d.environment_id
    left join users u on u.id = d.created_by_user_id
    left join api_keys k on k.id = d.created_by_api_key_id
    where l.incident_id = ${incidentId}::uuid
    order by d.finished_at desc nulls last, l.deployment_id
    limit ${DORA_LIMITS.incidentLinks}`) as unknown as Promise<LinkedDeployment[]>;
}

/** When a deployment went out: its start, or its finish when CI reported it done in one go. */
const wentOutAt = (d: Pick<LinkedDeployment, 'startedAt' | 'finishedAt'>) => {
  const at = d.startedAt ?? d.finishedAt;
  return at ? new Date(at).getTime() : null;
};

/**
 * "Last deployment before this incident started: v1.4.2 to PRO 12 min earlier": the linked deployment that went
 * out last at or before the start (the auto link's rule), with its state and whole minutes before; null when none.
 */
export function lastDeploymentBefore(linked: readonly LinkedDeployment[], startedAt: Date) {
  const before = linked
    .map((d) => ({ d, at: wentOutAt(d) }))
    .filter((x): x is { d: LinkedDeployment; at: number } => x.at !== null && x.at <= startedAt.getTime())
    .sort((a, b) => b.at - a.at);
  const last = before[0];
  if (!last) return null;
  return {
    deploymentId: last.d.deploymentId,
    version: last.d.version,
    environment: last.d.environment,
    serviceSlug: last.d.serviceSlug,
    state: last.d.state,
    at: new Date(last.at),
    finishedAt: last.d.finishedAt ? new Date(last.d.finishedAt) : null,
    minutesBefore: Math.floor((startedAt.getTime() - last.at) / 60_000),
    by: last.d.by,
  };
}
