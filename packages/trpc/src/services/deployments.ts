import { and, type DbOrTx, desc, eq, lt, or, type Role, schema } from '@sextant/db';
import type { DeploymentState } from '@sextant/db/enums';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import {
  type DeploymentListInput,
  type DeploymentPromoteInput,
  type DeploymentReportInput,
  FINISHED_STATES,
  isLegalDeploymentTransition,
} from '../schemas/deployments';
import { audit } from './audit';
import { deploymentNoLongerSucceeded, deploymentSucceeded } from './commit-first-deploys';
import { deploymentReachedSuccess } from './projects/work-items';
import { createdBy, ensureRelease, getReleaseRow, resolveEnvironment, resolveService } from './releases';

const { deployments, releases, services, environments, apiKeys } = schema;
type Row = typeof deployments.$inferSelect;

type Ctx = ChangeContext;
/** What an audited write needs of the caller (the rollout worker has no request). */
type Who = Pick<Ctx, 'identity' | 'requestId' | 'ip'>;

/** Who may report, move and promote deployments: maintainers, and CI's maintainer API keys (tRPC and REST alike). */
export const DEPLOYMENTS_WRITE_ROLE: Role = 'maintainer';

/** A report's answer: the deployment, whether this call made it, and whether it changed nothing (a replay). */
export interface ReportResult {
  id: string;
  releaseId: string;
  state: DeploymentState;
  created: boolean;
  replayed: boolean;
}

/**
 * The time columns a state sets: `startedAt` on entering in_progress, `finishedAt` on first reaching a finished
 * state (a later rollback of a success keeps the time it finished, when DORA counts it; the audit log has the rest).
 */
function stamps(state: DeploymentState, at: Date, before?: Pick<Row, 'startedAt' | 'finishedAt'>) {
  return {
    startedAt: before?.startedAt ?? (state === 'in_progress' ? at : null),
    finishedAt: before?.finishedAt ?? (FINISHED_STATES.includes(state) ? at : null),
  };
}

function refuseIllegal(from: DeploymentState, to: DeploymentState): never {
  throw new AppError('DEPLOYMENT_ILLEGAL_TRANSITION', `A deployment cannot go from ${from} to ${to}.`, [
    'state',
  ]);
}

/**
 * DORA's commit_first_deploys follows every change into or out of `succeeded`, in the same transaction; so do
 * the work items linked to a release that reaches production (issue 17: they become done at `at`).
 */
async function keepFirstDeploys(
  tx: DbOrTx,
  id: string,
  from: DeploymentState | null,
  to: DeploymentState,
  at: Date,
) {
  if (to === 'succeeded' && from !== 'succeeded') {
    await deploymentSucceeded(tx, id);
    await deploymentReachedSuccess(tx, id, at);
  } else if (from === 'succeeded' && to !== 'succeeded') await deploymentNoLongerSucceeded(tx, id);
}

/** Moves a locked row to `to` and audits it; refused (nothing written) when the table does not allow the move. */
async function moveTo(tx: DbOrTx, ctx: Who, before: Row, to: DeploymentState, at: Date) {
  if (!isLegalDeploymentTransition(before.state, to)) refuseIllegal(before.state, to);
  if (before.approval === 'pending' && to === 'in_progress')
    throw new AppError('DEPLOYMENT_APPROVAL_PENDING', 'This deployment waits for an approval.', ['state']);
  const [after] = await tx
    .update(deployments)
    .set({ state: to, ...stamps(to, at, before) })
    .where(eq(deployments.id, before.id))
    .returning();
  await keepFirstDeploys(tx, before.id, before.state, to, at);
  await audit(tx, ctx, {
    action: 'deployment.transition',
    targetType: 'deployment',
    targetId: before.id,
    before: { state: before.state },
    after: { state: to },
  });
  return after!;
}

const result = (row: Row, created: boolean, replayed: boolean): ReportResult => ({
  id: row.id,
  releaseId: row.releaseId,
  state: row.state,
  created,
  replayed,
});

async function byExternalId(tx: DbOrTx, serviceId: string, environmentId: string, externalId: string) {
  const [row] = await tx
    .select()
    .from(deployments)
    .where(
      and(
        eq(deployments.serviceId, serviceId),
        eq(deployments.environmentId, environmentId),
        eq(deployments.externalId, externalId),
      ),
    )
    .for('update');
  return row;
}

/**
 * Requirement 1: CI's report. Makes the release when missing and the deployment, or moves the deployment its
 * external id names; a replay in the same state returns the same id and writes nothing (no row, no audit).
 * Concurrent first reports of one external id meet at the unique index: one inserts, the others read its row.
 */
export async function reportDeployment(ctx: Ctx, input: DeploymentReportInput): Promise<ReportResult> {
  const service = await resolveService(ctx.db, input.service);
  const environment = await resolveEnvironment(ctx.db, input.environment);
  const at = input.at ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const release = await ensureRelease(tx, ctx, service.id, input);
    const key = input.externalId;
    let existing = key ? await byExternalId(tx, service.id, environment.id, key) : undefined;
    if (!existing) {
      const [made] = await tx
        .insert(deployments)
        .values({
          releaseId: release.id,
          serviceId: service.id,
          environmentId: environment.id,
          state: input.state,
          externalId: key ?? null,
          queuedAt: at,
          ...stamps(input.state, at),
          ...createdBy(ctx.identity),
        })
        .onConflictDoNothing()
        .returning();
      if (made) {
        await keepFirstDeploys(tx, made.id, null, made.state, at);
        await audit(tx, ctx, {
          action: 'deployment.report',
          targetType: 'deployment',
          targetId: made.id,
          after: made,
        });
        return result(made, true, false);
      }
      // Another report of this external id committed first: continue from its row.
      existing = (await byExternalId(tx, service.id, environment.id, key!))!;
    }
    if (existing.releaseId !== release.id)
      throw new AppError(
        'DEPLOYMENT_EXTERNAL_ID_CONFLICT',
        `External id "${key}" is a deployment of another version in ${environment.name}.`,
        ['externalId'],
      );
    if (existing.state === input.state) return result(existing, false, true);
    return result(await moveTo(tx, ctx, existing, input.state, at), false, false);
  });
}

async function getRow(db: DbOrTx, id: string, lock = false) {
  const query = db.select().from(deployments).where(eq(deployments.id, id));
  const [row] = await (lock ? query.for('update') : query);
  if (!row) throw new AppError('NOT_FOUND', 'No such deployment.', ['id']);
  return row;
}

/** One explicit state change; an illegal one is refused with DEPLOYMENT_ILLEGAL_TRANSITION and writes nothing. */
export function transitionDeployment(ctx: Ctx, id: string, to: DeploymentState, at = new Date()) {
  return ctx.db.transaction(async (tx) => moveTo(tx, ctx, await getRow(tx, id, true), to, at));
}

const isAdminPerson = (ctx: Ctx) => ctx.identity?.type === 'user' && ctx.identity.role === 'admin';

/**
 * Requirement 2: a queued deployment of the release into `environment`, allowed when the release succeeded in
 * the environment just before it (by position); the first environment needs nothing. Otherwise refused with
 * PROMOTION_PREVIOUS_NOT_SUCCEEDED, unless a signed-in admin overrides with a reason (kept on the row and audited).
 */
export async function promoteRelease(ctx: Ctx, input: DeploymentPromoteInput) {
  if (input.override && !isAdminPerson(ctx))
    throw new AppError(
      'PROMOTION_OVERRIDE_FORBIDDEN',
      'Only a signed-in admin may override the promotion order.',
      ['override'],
    );
  const target = await resolveEnvironment(ctx.db, input.environment);
  return ctx.db.transaction(async (tx) => {
    const release = await getReleaseRow(tx, input.releaseId, ['releaseId']);
    const [previous] = await tx
      .select()
      .from(environments)
      .where(lt(environments.position, target.position))
      .orderBy(desc(environments.position))
      .limit(1);
    const [earned] = previous
      ? await tx
          .select({ id: deployments.id })
          .from(deployments)
          .where(
            and(
              eq(deployments.releaseId, release.id),
              eq(deployments.environmentId, previous.id),
              eq(deployments.state, 'succeeded'),
            ),
          )
          .orderBy(desc(deployments.finishedAt))
          .limit(1)
      : [];
    const overridden = Boolean(previous && !earned);
    if (overridden && !input.override)
      throw new AppError(
        'PROMOTION_PREVIOUS_NOT_SUCCEEDED',
        `${release.version} has not succeeded in ${previous!.name}, the environment before ${target.name}.`,
        ['environment'],
      );
    const [row] = await tx
      .insert(deployments)
      .values({
        releaseId: release.id,
        serviceId: release.serviceId,
        environmentId: target.id,
        state: 'queued',
        promotedFromDeploymentId: earned?.id ?? null,
        override: overridden,
        overrideReason: overridden ? input.override!.reason : null,
        approval: target.requiresApproval ? 'pending' : null,
        ...createdBy(ctx.identity),
      })
      .returning();
    await audit(tx, ctx, {
      action: overridden ? 'deployment.promote_override' : 'deployment.promote',
      targetType: 'deployment',
      targetId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** The people behind a row: its user, or the person who made its API key. */
async function peopleBehind(
  tx: DbOrTx,
  row: { createdByUserId: string | null; createdByApiKeyId: string | null },
) {
  const people = row.createdByUserId ? [row.createdByUserId] : [];
  if (row.createdByApiKeyId) {
    const [key] = await tx
      .select({ createdBy: apiKeys.createdBy })
      .from(apiKeys)
      .where(eq(apiKeys.id, row.createdByApiKeyId));
    if (key?.createdBy) people.push(key.createdBy);
  }
  return people;
}

/**
 * Issue 16 point 1: approves a deployment waiting in an environment that requires approval. The approver is a
 * signed-in maintainer or admin who neither made the release nor asked for the promotion (nor made the key that
 * did); otherwise DEPLOYMENT_SELF_APPROVAL and nothing is written.
 */
export async function approveDeployment(ctx: Ctx, id: string, at = new Date()) {
  const approver = ctx.identity?.type === 'user' ? ctx.identity.userId : null;
  return ctx.db.transaction(async (tx) => {
    const before = await getRow(tx, id, true);
    if (before.approval !== 'pending' || before.state !== 'queued')
      throw new AppError(
        'DEPLOYMENT_NOT_AWAITING_APPROVAL',
        'This deployment is not waiting for an approval.',
        ['id'],
      );
    const release = await getReleaseRow(tx, before.releaseId);
    const releasers = [...(await peopleBehind(tx, before)), ...(await peopleBehind(tx, release))];
    if (!approver || releasers.includes(approver))
      throw new AppError(
        'DEPLOYMENT_SELF_APPROVAL',
        'Someone other than whoever released or promoted this version must approve it.',
        ['id'],
      );
    const [after] = await tx
      .update(deployments)
      .set({ approval: 'approved', approvedByUserId: approver, approvedAt: at })
      .where(eq(deployments.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'deployment.approve',
      targetType: 'deployment',
      targetId: id,
      before: { approval: before.approval },
      after: { approval: 'approved', approvedByUserId: approver },
    });
    return after!;
  });
}

/** A deployment as lists and pages show it: with its service, environment and version. */
const shown = {
  id: deployments.id,
  releaseId: deployments.releaseId,
  serviceId: deployments.serviceId,
  service: services.slug,
  environmentId: deployments.environmentId,
  environment: environments.name,
  version: releases.version,
  commitSha: releases.commitSha,
  state: deployments.state,
  externalId: deployments.externalId,
  queuedAt: deployments.queuedAt,
  startedAt: deployments.startedAt,
  finishedAt: deployments.finishedAt,
  promotedFromDeploymentId: deployments.promotedFromDeploymentId,
  override: deployments.override,
  overrideReason: deployments.overrideReason,
  approval: deployments.approval,
  approvedByUserId: deployments.approvedByUserId,
  createdByUserId: deployments.createdByUserId,
  createdByApiKeyId: deployments.createdByApiKeyId,
};

function shownDeployments(db: DbOrTx) {
  return db
    .select(shown)
    .from(deployments)
    .innerJoin(releases, eq(releases.id, deployments.releaseId))
    .innerJoin(services, eq(services.id, deployments.serviceId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId));
}

export async function getDeployment(db: DbOrTx, id: string) {
  const [row] = await shownDeployments(db).where(eq(deployments.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such deployment.', ['id']);
  return row;
}

/** Deployments newest first (queued time, then id), optionally of one service and/or environment. */
export async function listDeployments(db: DbOrTx, input: DeploymentListInput) {
  const service = input.service ? await resolveService(db, input.service) : null;
  const environment = input.environment ? await resolveEnvironment(db, input.environment) : null;
  const c = input.cursor;
  const rows = await shownDeployments(db)
    .where(
      and(
        service ? eq(deployments.serviceId, service.id) : undefined,
        environment ? eq(deployments.environmentId, environment.id) : undefined,
        c
          ? or(
              lt(deployments.queuedAt, c.queuedAt),
              and(eq(deployments.queuedAt, c.queuedAt), lt(deployments.id, c.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(deployments.queuedAt), desc(deployments.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? { queuedAt: last.queuedAt, id: last.id } : null,
  };
}

/**
 * A rollout's deployment of its target (services/rollouts/store.ts), or a rollback's re-deploy of the previous good
 * release (services/deployment-rollback.ts), queued in the caller's transaction, audited as `action`.
 */
export async function queueRolloutDeployment(
  tx: DbOrTx,
  ctx: Who,
  v: { releaseId: string; serviceId: string; environmentId: string },
  at: Date,
  action: 'deployment.rollout' | 'deployment.rollback' = 'deployment.rollout',
) {
  const [row] = await tx
    .insert(deployments)
    .values({ ...v, state: 'queued', queuedAt: at, ...createdBy(ctx.identity) })
    .returning();
  await audit(tx, ctx, {
    action,
    targetType: 'deployment',
    targetId: row!.id,
    after: row,
  });
  return row!;
}

/**
 * Moves a rollout's deployment in the caller's transaction: already there is a no-op (a retry re-enters
 * in_progress), an illegal move is refused like any other (DEPLOYMENT_ILLEGAL_TRANSITION, nothing written).
 */
export async function moveRolloutDeployment(tx: DbOrTx, ctx: Who, id: string, to: DeploymentState, at: Date) {
  const row = await getRow(tx, id, true);
  if (row.state === to) return row;
  return moveTo(tx, ctx, row, to, at);
}

/** A service × environment's deployments newest first, as the rollback plan reads them. */
export function deploymentHistory(db: DbOrTx, serviceId: string, environmentId: string, limit: number) {
  return db
    .select({ id: releases.id, version: releases.version, state: deployments.state })
    .from(deployments)
    .innerJoin(releases, eq(releases.id, deployments.releaseId))
    .where(and(eq(deployments.serviceId, serviceId), eq(deployments.environmentId, environmentId)))
    .orderBy(desc(deployments.queuedAt), desc(deployments.id))
    .limit(limit);
}
