/**
 * The one writer of rollouts, rollout_analysis_runs and rollout_measurements (spec A1, requirements 3–7): load a
 * snapshot, call the pure core's `transition`, store `next` fenced on the stored (state, step_index, attempt) and
 * carry out its effects in the same transaction — audit, desired state, deployment moves, analysis runs and one
 * webhook per state change through the outbox. A refused or stale event throws and writes nothing.
 */
import { and, asc, type DbOrTx, eq, inArray, lte, schema, sql } from '@sextant/db';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import { ROLLOUT_LIMITS } from '../../limits';
import type { ReleaseRef, RolloutStep } from '../../schemas/rollouts';
import { audit } from '../audit';
import { deploymentHistory, moveRolloutDeployment, queueRolloutDeployment } from '../deployments';
import { carryOut } from './effects';
import { desiredOf, newRollout, transition } from './machine';
import { rollbackPlan } from './rollback';
import type { AnalysisRunRef, RolloutEffect, RolloutEvent, RolloutSnapshot } from './types';

const { rollouts, releases, services, environments } = schema;
export type RolloutRow = typeof rollouts.$inferSelect;
export type Who = Pick<ChangeContext, 'identity' | 'requestId' | 'ip'>;

/** The worker's identity in the audit log (a system actor). */
export const WORKER: Who = { identity: null, requestId: 'rollout-worker', ip: null };

export interface Loaded {
  row: RolloutRow;
  snapshot: RolloutSnapshot;
  service: string;
  environment: string;
}

async function refsOf(tx: DbOrTx, ids: (string | null)[]) {
  const wanted = ids.filter((id): id is string => id !== null);
  const rows = wanted.length
    ? await tx
        .select({ id: releases.id, version: releases.version })
        .from(releases)
        .where(inArray(releases.id, wanted))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (id: string | null): ReleaseRef | null => (id ? (byId.get(id) ?? null) : null);
}

export function snapshotOf(row: RolloutRow, ref: (id: string | null) => ReleaseRef | null): RolloutSnapshot {
  return {
    state: row.state as RolloutSnapshot['state'],
    steps: row.steps as RolloutStep[],
    stepIndex: row.stepIndex,
    weight: row.weight,
    targetRelease: ref(row.targetReleaseId)!,
    stableRelease: ref(row.stableReleaseId),
    pauseUntil: row.pauseUntil?.getTime() ?? null,
    attempt: row.attempt,
    analysis: (row.analysis as AnalysisRunRef | null) ?? null,
    reason: row.reason,
    rolledBackTo: ref(row.rolledBackToReleaseId),
    updatedAt: row.updatedAt.getTime(),
  };
}

/** One rollout with its snapshot; `lock: 'skip'` answers null when another instance holds it (SKIP LOCKED). */
export async function loadRollout(tx: DbOrTx, id: string, lock?: 'update' | 'skip'): Promise<Loaded | null> {
  const query = tx
    .select({ row: rollouts, service: services.slug, environment: environments.name })
    .from(rollouts)
    .innerJoin(services, eq(services.id, rollouts.serviceId))
    .innerJoin(environments, eq(environments.id, rollouts.environmentId))
    .where(eq(rollouts.id, id));
  const [hit] = await (lock === 'skip'
    ? query.for('update', { of: rollouts, skipLocked: true })
    : lock === 'update'
      ? query.for('update', { of: rollouts })
      : query);
  if (!hit) return null;
  const ref = await refsOf(tx, [
    hit.row.targetReleaseId,
    hit.row.stableReleaseId,
    hit.row.rolledBackToReleaseId,
  ]);
  return {
    row: hit.row,
    snapshot: snapshotOf(hit.row, ref),
    service: hit.service,
    environment: hit.environment,
  };
}

export async function mustLoad(tx: DbOrTx, id: string) {
  const loaded = await loadRollout(tx, id);
  if (!loaded) throw new AppError('NOT_FOUND', 'No such rollout.', ['id']);
  return loaded;
}

/** When the worker must look next: a timed pause's end, or now for a running analysis (it then says when). */
const nextCheckOf = (s: RolloutSnapshot, now: number): Date | null => {
  if (s.state === 'paused' && s.pauseUntil !== null) return new Date(s.pauseUntil);
  if (s.state === 'analyzing' && s.analysis?.phase === 'running') return new Date(now);
  return null;
};

/** Creates a pending rollout of `target` with its queued deployment (the caller then sends `start`). */
export async function insertRollout(
  tx: DbOrTx,
  who: Who,
  v: {
    serviceId: string;
    environmentId: string;
    steps: readonly RolloutStep[];
    target: ReleaseRef;
    stable: ReleaseRef | null;
    receiverId: string | null;
    createdByUserId: string | null;
    createdByApiKeyId: string | null;
  },
  now: number,
) {
  const s = newRollout(v.steps, v.target, v.stable, now);
  const deployment = await queueRolloutDeployment(
    tx,
    who,
    { releaseId: v.target.id, serviceId: v.serviceId, environmentId: v.environmentId },
    new Date(now),
  );
  const [row] = await tx
    .insert(rollouts)
    .values({
      serviceId: v.serviceId,
      environmentId: v.environmentId,
      targetReleaseId: v.target.id,
      stableReleaseId: v.stable?.id ?? null,
      deploymentId: deployment.id,
      steps: s.steps,
      state: s.state,
      desiredVersion: v.stable?.version ?? v.target.version,
      desiredWeight: v.stable ? 0 : 100,
      desiredStableVersion: v.stable?.version ?? null,
      receiverId: v.receiverId,
      createdByUserId: v.createdByUserId,
      createdByApiKeyId: v.createdByApiKeyId,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .returning();
  await audit(tx, who, { action: 'rollout.create', targetType: 'rollout', targetId: row!.id, after: row });
  return (await loadRollout(tx, row!.id))!;
}

/**
 * Applies one event in the caller's transaction: refused (coded) or stale (the fence) throws, writing nothing.
 * Returns the stored snapshot after every follow-up (an analysis failure's rollback) ran.
 */
export async function applyEvent(
  tx: DbOrTx,
  who: Who,
  loaded: Loaded,
  event: RolloutEvent,
  now: number,
): Promise<Loaded> {
  const s = loaded.snapshot;
  const result = transition(s, event, now);
  if (!result.ok) throw new AppError(result.code, result.message);
  const { next, effects } = result;
  const changed = next.state !== s.state;
  const desired = desiredOf(next);
  const [row] = await tx
    .update(rollouts)
    .set({
      state: next.state,
      stepIndex: next.stepIndex,
      weight: next.weight,
      attempt: next.attempt,
      targetReleaseId: next.targetRelease.id,
      stableReleaseId: next.stableRelease?.id ?? null,
      rolledBackToReleaseId: next.rolledBackTo?.id ?? null,
      pauseUntil: next.pauseUntil === null ? null : new Date(next.pauseUntil),
      analysis: next.analysis,
      reason: next.reason,
      ...(effects.some((e) => e.type === 'publishDesired')
        ? {
            desiredVersion: desired.version,
            desiredWeight: desired.weight,
            desiredStableVersion: desired.stableVersion,
            desiredAt: new Date(now),
          }
        : {}),
      changes: loaded.row.changes + (changed ? 1 : 0),
      nextCheckAt: nextCheckOf(next, now),
      updatedAt: new Date(now),
    })
    .where(
      and(
        eq(rollouts.id, loaded.row.id),
        eq(rollouts.state, s.state),
        eq(rollouts.stepIndex, s.stepIndex),
        eq(rollouts.attempt, s.attempt),
      ),
    )
    .returning();
  if (!row) throw new AppError('ROLLOUT_STALE_EVENT', 'The rollout changed meanwhile; read it again.');
  await audit(tx, who, {
    action: `rollout.${event.type}`,
    targetType: 'rollout',
    targetId: row.id,
    before: { state: s.state, stepIndex: s.stepIndex, weight: s.weight, attempt: s.attempt },
    after: { state: next.state, stepIndex: next.stepIndex, weight: next.weight, attempt: next.attempt },
  });
  const after: Loaded = { ...loaded, row, snapshot: next };
  await moveDeployments(tx, who, loaded, after, event, now);
  let followUp: RolloutEffect | undefined;
  for (const effect of effects) {
    if (effect.type === 'requestRollback' || effect.type === 'startRollout') followUp = effect;
    else await carryOut(tx, who, after, effect, now);
  }
  if (followUp?.type === 'requestRollback') return requestRollback(tx, who, after, now);
  if (followUp?.type === 'startRollout') {
    const fresh = await insertRollout(
      tx,
      who,
      {
        serviceId: row.serviceId,
        environmentId: row.environmentId,
        steps: next.steps,
        target: followUp.release,
        stable: followUp.stableRelease,
        receiverId: row.receiverId,
        createdByUserId: row.createdByUserId,
        createdByApiKeyId: row.createdByApiKeyId,
      },
      now,
    );
    await applyEvent(tx, who, fresh, { type: 'start' }, now);
  }
  return after;
}

/** Requirement 5: a failed analysis aborts, then rolls back to the previous good release (rollbackPlan). */
async function requestRollback(tx: DbOrTx, who: Who, loaded: Loaded, now: number): Promise<Loaded> {
  const plan = await planRollback(tx, loaded);
  // Nothing good to go back to: the rollout stays aborted (weight 0) for a human.
  if (!plan.ok) return loaded;
  return applyEvent(tx, who, loaded, { type: 'rollback', to: plan.to, skipSteps: plan.skipSteps }, now);
}

export async function planRollback(tx: DbOrTx, loaded: Loaded, to?: string) {
  const history = await deploymentHistory(
    tx,
    loaded.row.serviceId,
    loaded.row.environmentId,
    ROLLOUT_LIMITS.rollbackHistory,
  );
  return rollbackPlan(
    history.map((h) => ({ release: { id: h.id, version: h.version }, outcome: h.state })),
    loaded.snapshot.targetRelease,
    { to },
  );
}

const RUNNING = ['progressing', 'paused', 'analyzing'];

/** The target's deployment row follows the rollout: in_progress while it runs, then its outcome. */
async function moveDeployments(
  tx: DbOrTx,
  who: Who,
  before: Loaded,
  after: Loaded,
  e: RolloutEvent,
  now: number,
) {
  const ctx = who;
  const at = new Date(now);
  const b = before.snapshot;
  const a = after.snapshot;
  let deploymentId = after.row.deploymentId;
  const move = async (to: 'in_progress' | 'succeeded' | 'failed' | 'rolled_back') => {
    if (!deploymentId) return;
    const [current] = await tx
      .select({ state: schema.deployments.state })
      .from(schema.deployments)
      .where(eq(schema.deployments.id, deploymentId));
    if (current?.state === 'queued' && to !== 'failed' && to !== 'in_progress')
      await moveRolloutDeployment(tx, ctx, deploymentId, 'in_progress', at);
    const target = current?.state === 'queued' && to === 'rolled_back' ? 'failed' : to;
    await moveRolloutDeployment(tx, ctx, deploymentId, target, at);
  };
  const requeue = async () => {
    const made = await queueRolloutDeployment(
      tx,
      ctx,
      {
        releaseId: a.targetRelease.id,
        serviceId: after.row.serviceId,
        environmentId: after.row.environmentId,
      },
      at,
    );
    deploymentId = made.id;
    await tx.update(rollouts).set({ deploymentId }).where(eq(rollouts.id, after.row.id));
    after.row.deploymentId = deploymentId;
  };
  if (e.type === 'supersede') {
    // The superseded release never finished: its deployment ends failed, the newer one gets its own.
    await move('failed');
    await requeue();
  } else if (e.type === 'retry' && b.state === 'failed') {
    await requeue();
  }
  if (a.state === 'promoted') await move('succeeded');
  else if (RUNNING.includes(a.state)) await move('in_progress');
  else if (a.state === 'failed') await move('failed');
  else if (a.state === 'rolled_back') {
    await move('rolled_back');
    if (a.rolledBackTo && a.stableRelease?.id === a.rolledBackTo.id) {
      // Within the window the previous release takes all traffic at once: record that as its deployment.
      const back = await queueRolloutDeployment(
        tx,
        ctx,
        {
          releaseId: a.rolledBackTo.id,
          serviceId: after.row.serviceId,
          environmentId: after.row.environmentId,
        },
        at,
      );
      await moveRolloutDeployment(tx, ctx, back.id, 'in_progress', at);
      await moveRolloutDeployment(tx, ctx, back.id, 'succeeded', at);
    }
  }
}

/** The deploy tool's report of what it applied, kept on the rollout (the caller audits a change). */
export async function recordReport(tx: DbOrTx, id: string, version: string, weight: number, now: number) {
  await tx
    .update(rollouts)
    .set({ reportedVersion: version, reportedWeight: weight, reportedAt: new Date(now) })
    .where(eq(rollouts.id, id));
}

/** When the worker looks again (the next measurement due), fenced like a transition; false when it moved on. */
export async function scheduleCheck(tx: DbOrTx, loaded: Loaded, at: Date | null) {
  const s = loaded.snapshot;
  const moved = await tx
    .update(rollouts)
    .set({ nextCheckAt: at })
    .where(
      and(
        eq(rollouts.id, loaded.row.id),
        eq(rollouts.state, s.state),
        eq(rollouts.stepIndex, s.stepIndex),
        eq(rollouts.attempt, s.attempt),
      ),
    )
    .returning({ id: rollouts.id });
  return moved.length === 1;
}

/**
 * Claims the oldest due rollout no other instance holds (FOR UPDATE SKIP LOCKED), skipping ids this tick already
 * handled; null when none is left.
 */
export async function claimDue(tx: DbOrTx, now: number, handled: string[]) {
  const [hit] = await tx
    .select({ id: rollouts.id })
    .from(rollouts)
    .where(
      and(
        lte(rollouts.nextCheckAt, new Date(now)),
        handled.length ? sql`not (${rollouts.id} = any(${`{${handled.join(',')}}`}::uuid[]))` : undefined,
      ),
    )
    .orderBy(asc(rollouts.nextCheckAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return hit ? loadRollout(tx, hit.id) : null;
}
