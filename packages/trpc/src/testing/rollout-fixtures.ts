/** Rollout fixtures (RBAC table, rollout tests): a service whose 1.0.0 succeeded somewhere and whose 2.0.0 exists. */
import type { ChangeContext } from '../context';
import type { RolloutStep } from '../schemas/rollouts';
import { reportDeployment } from '../services/deployments';
import { ensureRelease } from '../services/releases';
import { sendEvent, startRollout } from '../services/rollouts/actions';

/** A pause until promoted, then 50 %: a rollout that waits for a person. */
export const HELD_STEPS: RolloutStep[] = [{ type: 'pause' }, { type: 'setWeight', weight: 50 }];

/** Release 1.0.0 succeeded in `environment` (the stable one) and release `next` made; returns their versions. */
export async function seedReleases(ctx: ChangeContext, service: string, environment: string, next = '2.0.0') {
  const stable = await reportDeployment(ctx, { service, environment, version: '1.0.0', state: 'succeeded' });
  const serviceId = (await ctx.db.query.releases.findFirst({
    where: (r, { eq }) => eq(r.id, stable.releaseId),
  }))!.serviceId;
  await ctx.db.transaction((tx) => ensureRelease(tx, ctx, serviceId, { version: next }));
  return { stable: '1.0.0', next };
}

/** A rollout of 2.0.0 paused until promoted (or aborted), over a stable 1.0.0. */
export async function heldRollout(
  ctx: ChangeContext,
  service: string,
  environment: string,
  state: 'paused' | 'aborted' = 'paused',
) {
  await seedReleases(ctx, service, environment);
  const id = await startRollout(ctx, { service, environment, release: '2.0.0', steps: HELD_STEPS });
  if (state === 'aborted') await sendEvent(ctx, id, { type: 'abort' });
  return { id, service, environment };
}

/** 1.0.0 then 1.1.0 succeeded in `environment`, no rollout: 1.1.0's deployment can be rolled back to 1.0.0. */
export async function rollbackableDeployment(ctx: ChangeContext, service: string, environment: string) {
  await reportDeployment(ctx, { service, environment, version: '1.0.0', state: 'succeeded' });
  const bad = await reportDeployment(ctx, { service, environment, version: '1.1.0', state: 'succeeded' });
  return { id: bad.id };
}
