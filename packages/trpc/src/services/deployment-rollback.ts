/**
 * Issue 16 point 3, "one click to roll it back" for a service × environment without a rollout: the bad
 * deployment becomes rolled_back and the previous succeeded release is queued there, in one audited transaction
 * (both writes go through services/deployments.ts, the table's owner).
 */
import { and, type DbOrTx, desc, eq, ne, schema } from '@sextant/db';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { moveRolloutDeployment, queueRolloutDeployment } from './deployments';

const { deployments, releases, rollouts, services, environments } = schema;

async function loadBad(db: DbOrTx, id: string, lock = false) {
  const query = db
    .select({
      id: deployments.id,
      state: deployments.state,
      releaseId: deployments.releaseId,
      serviceId: deployments.serviceId,
      environmentId: deployments.environmentId,
      version: releases.version,
      service: services.slug,
      environment: environments.name,
    })
    .from(deployments)
    .innerJoin(releases, eq(releases.id, deployments.releaseId))
    .innerJoin(services, eq(services.id, deployments.serviceId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.id, id));
  const [row] = await (lock ? query.for('update', { of: deployments }) : query);
  if (!row) throw new AppError('NOT_FOUND', 'No such deployment.', ['deploymentId']);
  return row;
}

type Bad = Awaited<ReturnType<typeof loadBad>>;

/** The newest release other than the bad one that succeeded in the same service × environment. */
async function previousGood(db: DbOrTx, bad: Bad) {
  const [row] = await db
    .select({ releaseId: releases.id, version: releases.version })
    .from(deployments)
    .innerJoin(releases, eq(releases.id, deployments.releaseId))
    .where(
      and(
        eq(deployments.serviceId, bad.serviceId),
        eq(deployments.environmentId, bad.environmentId),
        eq(deployments.state, 'succeeded'),
        ne(deployments.releaseId, bad.releaseId),
      ),
    )
    .orderBy(desc(deployments.finishedAt), desc(deployments.queuedAt))
    .limit(1);
  return row ?? null;
}

/**
 * What the incident page's "Roll back" would do, for its confirm dialog: the versions from and to, and the
 * rollout of that service × environment when there is one (then `rollouts.rollback` is the way back).
 */
export async function rollbackTarget(db: DbOrTx, deploymentId: string) {
  const bad = await loadBad(db, deploymentId);
  const [rollout] = await db
    .select({ id: rollouts.id })
    .from(rollouts)
    .where(and(eq(rollouts.serviceId, bad.serviceId), eq(rollouts.environmentId, bad.environmentId)))
    .orderBy(desc(rollouts.createdAt), desc(rollouts.id))
    .limit(1);
  const good = await previousGood(db, bad);
  return {
    deploymentId: bad.id,
    service: bad.service,
    environment: bad.environment,
    state: bad.state,
    fromVersion: bad.version,
    toVersion: good?.version ?? null,
    rolloutId: rollout?.id ?? null,
  };
}

/**
 * Marks a succeeded deployment rolled_back and queues the previous succeeded release in its environment.
 * Refused, with nothing written, when the deployment is not succeeded or no earlier release succeeded there.
 */
export function rollbackDeployment(ctx: ChangeContext, deploymentId: string) {
  return ctx.db.transaction(async (tx) => {
    const bad = await loadBad(tx, deploymentId, true);
    if (bad.state !== 'succeeded')
      throw new AppError(
        'DEPLOYMENT_ILLEGAL_TRANSITION',
        `A deployment cannot go from ${bad.state} to rolled_back.`,
        ['deploymentId'],
      );
    const good = await previousGood(tx, bad);
    if (!good)
      throw new AppError(
        'DEPLOYMENT_NO_PREVIOUS_RELEASE',
        `No release before ${bad.version} succeeded in ${bad.environment}.`,
        ['deploymentId'],
      );
    const at = new Date();
    await moveRolloutDeployment(tx, ctx, bad.id, 'rolled_back', at);
    const queued = await queueRolloutDeployment(
      tx,
      ctx,
      { releaseId: good.releaseId, serviceId: bad.serviceId, environmentId: bad.environmentId },
      at,
      'deployment.rollback',
    );
    return { rolledBack: bad.id, queued: queued.id, fromVersion: bad.version, toVersion: good.version };
  });
}
