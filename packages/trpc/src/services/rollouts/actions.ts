/**
 * What `rollouts.*` and the REST edge do (requirements 3–7): each call is one transaction through the store, so a
 * refusal (coded by the core) or a stale fence writes nothing. Maintainers act; viewers and API keys read.
 */
import { and, type DbOrTx, desc, eq, inArray, type Role, schema, sql } from '@sextant/db';
import type { z } from 'zod';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import type {
  RolloutReportInput,
  RolloutStartInput,
  rolloutListInput,
} from '../../schemas/rollout-procedures';
import { audit } from '../audit';
import { deploymentHistory } from '../deployments';
import { createdBy, resolveEnvironment, resolveService } from '../releases';
import {
  applyEvent,
  insertRollout,
  type Loaded,
  loadRollout,
  mustLoad,
  planRollback,
  recordReport,
} from './store';
import { legalNextStates } from './table';
import type { RolloutEvent, RolloutState } from './types';

const { rollouts, releases, rolloutAnalysisRuns, rolloutMeasurements, services, environments } = schema;

/** Who may start and steer rollouts and report what was applied: maintainers and their API keys. */
export const ROLLOUTS_WRITE_ROLE: Role = 'maintainer';

const OPEN = ['pending', 'progressing', 'paused', 'analyzing', 'aborted', 'failed'];

/** The newest rollout of a service × environment: the open one when there is one (at most one is). */
async function currentRollout(tx: DbOrTx, serviceId: string, environmentId: string, lock = false) {
  const query = tx
    .select({ id: rollouts.id })
    .from(rollouts)
    .where(and(eq(rollouts.serviceId, serviceId), eq(rollouts.environmentId, environmentId)))
    .orderBy(desc(rollouts.createdAt), desc(rollouts.id))
    .limit(1);
  const [hit] = await (lock ? query.for('update') : query);
  return hit ? loadRollout(tx, hit.id, lock ? 'update' : undefined) : null;
}

/**
 * Starts a rollout of `release`, or supersedes the open one with it (requirement 7: the running rollout restarts
 * its steps and analysis for the newer release). The stable release is the last one that succeeded here.
 */
export async function startRollout(ctx: ChangeContext, input: RolloutStartInput) {
  const service = await resolveService(ctx.db, input.service);
  const environment = await resolveEnvironment(ctx.db, input.environment);
  if (input.receiverId) {
    const [receiver] = await ctx.db
      .select({ id: schema.receivers.id })
      .from(schema.receivers)
      .where(eq(schema.receivers.id, input.receiverId));
    if (!receiver) throw new AppError('NOT_FOUND', 'No such receiver for the webhooks.', ['receiverId']);
  }
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [release] = await tx
      .select({ id: releases.id, version: releases.version })
      .from(releases)
      .where(
        and(eq(releases.serviceId, service.id), sql`lower(${releases.version}) = lower(${input.release})`),
      );
    if (!release)
      throw new AppError('NOT_FOUND', `${service.slug} has no release ${input.release}.`, ['release']);
    // Serialises starts of one service × environment, so two cannot both find none open.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`rollout:${service.id}:${environment.id}`}))`,
    );
    const current = await currentRollout(tx, service.id, environment.id, true);
    if (current && OPEN.includes(current.snapshot.state)) {
      const after = await applyEvent(tx, ctx, current, { type: 'supersede', release }, now);
      return after.row.id;
    }
    const history = await deploymentHistory(tx, service.id, environment.id, 50);
    const good = history.find((h) => h.state === 'succeeded' && h.id !== release.id);
    const who = createdBy(ctx.identity);
    const fresh = await insertRollout(
      tx,
      ctx,
      {
        serviceId: service.id,
        environmentId: environment.id,
        steps: input.steps,
        target: release,
        stable: good ? { id: good.id, version: good.version } : null,
        receiverId: input.receiverId ?? null,
        createdByUserId: who.createdByUserId,
        createdByApiKeyId: who.createdByApiKeyId,
      },
      now,
    );
    return (await applyEvent(tx, ctx, fresh, { type: 'start' }, now)).row.id;
  });
}

/** promote, promoteFull, abort, retry: one event on one rollout. */
export function sendEvent(ctx: ChangeContext, id: string, event: RolloutEvent) {
  return ctx.db.transaction(async (tx) => {
    const after = await applyEvent(tx, ctx, await mustLoad(tx, id), event, Date.now());
    return after.row.id;
  });
}

/** Requirement 6: back to the previous good release (or `to`); within the last N releases steps are skipped. */
export function rollbackRollout(ctx: ChangeContext, id: string, to?: string) {
  return ctx.db.transaction(async (tx) => {
    const loaded = await mustLoad(tx, id);
    const plan = await planRollback(tx, loaded, to);
    if (!plan.ok) throw new AppError(plan.code, plan.message, to ? ['to'] : []);
    const after = await applyEvent(
      tx,
      ctx,
      loaded,
      { type: 'rollback', to: plan.to, skipSteps: plan.skipSteps },
      Date.now(),
    );
    return after.row.id;
  });
}

/** The console's buttons, in order; each enabled when the transition table accepts its event in `state`. */
export const ROLLOUT_ACTIONS = ['promote', 'promoteFull', 'abort', 'retry', 'rollback'] as const;
export const allowedActions = (state: RolloutState) =>
  ROLLOUT_ACTIONS.filter((a) => legalNextStates(state, a).length > 0);

/** How many audit entries the rollout page lists, newest first. */
const ROLLOUT_HISTORY_ROWS = 50;

const shown = (l: Loaded) => ({
  id: l.row.id,
  service: l.service,
  environment: l.environment,
  state: l.snapshot.state,
  allowedActions: allowedActions(l.snapshot.state),
  stepIndex: l.snapshot.stepIndex,
  steps: l.snapshot.steps,
  weight: l.snapshot.weight,
  attempt: l.snapshot.attempt,
  pauseUntil: l.row.pauseUntil,
  reason: l.snapshot.reason,
  targetRelease: l.snapshot.targetRelease,
  stableRelease: l.snapshot.stableRelease,
  rolledBackTo: l.snapshot.rolledBackTo,
  deploymentId: l.row.deploymentId,
  desired: {
    version: l.row.desiredVersion,
    weight: l.row.desiredWeight,
    stableVersion: l.row.desiredStableVersion,
  },
  desiredAt: l.row.desiredAt,
  reported: l.row.reportedAt
    ? { version: l.row.reportedVersion, weight: l.row.reportedWeight, at: l.row.reportedAt }
    : null,
  receiverId: l.row.receiverId,
  createdAt: l.row.createdAt,
  updatedAt: l.row.updatedAt,
});

/** One rollout with its analysis runs and their measurements (the rollout page's charts). */
export async function getRollout(db: DbOrTx, id: string) {
  const loaded = await mustLoad(db, id);
  const runs = await db
    .select()
    .from(rolloutAnalysisRuns)
    .where(eq(rolloutAnalysisRuns.rolloutId, id))
    .orderBy(rolloutAnalysisRuns.startedAt);
  const measurements = runs.length
    ? await db
        .select()
        .from(rolloutMeasurements)
        .where(
          inArray(
            rolloutMeasurements.runId,
            runs.map((r) => r.id),
          ),
        )
        .orderBy(rolloutMeasurements.at)
    : [];
  // The page's history: state changes, reports and skipped steps, as the audit log kept them.
  const history = await db
    .select({
      id: schema.auditLog.id,
      at: schema.auditLog.at,
      action: schema.auditLog.action,
      actor: schema.auditLog.actorLabel,
    })
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.targetType, 'rollout'), eq(schema.auditLog.targetId, id)))
    .orderBy(desc(schema.auditLog.at), desc(schema.auditLog.id))
    .limit(ROLLOUT_HISTORY_ROWS);
  return {
    ...shown(loaded),
    history,
    runs: runs.map((r) => ({ ...r, measurements: measurements.filter((m) => m.runId === r.id) })),
  };
}

/** Rollouts newest first, optionally of one service and/or environment. */
export async function listRollouts(db: DbOrTx, input: z.output<typeof rolloutListInput>) {
  const service = input.service ? await resolveService(db, input.service) : null;
  const environment = input.environment ? await resolveEnvironment(db, input.environment) : null;
  return db
    .select({
      id: rollouts.id,
      service: services.slug,
      environment: environments.name,
      state: rollouts.state,
      stepIndex: rollouts.stepIndex,
      weight: rollouts.weight,
      attempt: rollouts.attempt,
      version: releases.version,
      stableVersion: rollouts.desiredStableVersion,
      stepCount: sql<number>`jsonb_array_length(${rollouts.steps})`.mapWith(Number),
      reason: rollouts.reason,
      createdAt: rollouts.createdAt,
      updatedAt: rollouts.updatedAt,
    })
    .from(rollouts)
    .innerJoin(services, eq(services.id, rollouts.serviceId))
    .innerJoin(environments, eq(environments.id, rollouts.environmentId))
    .innerJoin(releases, eq(releases.id, rollouts.targetReleaseId))
    .where(
      and(
        service ? eq(rollouts.serviceId, service.id) : undefined,
        environment ? eq(rollouts.environmentId, environment.id) : undefined,
      ),
    )
    .orderBy(desc(rollouts.createdAt), desc(rollouts.id))
    .limit(input.limit);
}

/** What the deploy tool should run (`rollouts.desired`, GET /v1/rollouts/…): the current rollout's published state. */
export async function desiredState(db: DbOrTx, input: { service: string; environment: string }) {
  const service = await resolveService(db, input.service);
  const environment = await resolveEnvironment(db, input.environment);
  const current = await currentRollout(db, service.id, environment.id);
  if (!current) throw new AppError('NOT_FOUND', `No rollout of ${service.slug} in ${environment.name}.`);
  const r = current.row;
  return {
    rolloutId: r.id,
    state: current.snapshot.state,
    version: r.desiredVersion,
    weight: r.desiredWeight,
    stableVersion: r.desiredStableVersion,
    updatedAt: r.desiredAt,
  };
}

/**
 * The deploy tool's report of what it applied. Stored (audited) when it differs from the last report; when it
 * matches the current setWeight step, that step is done (`stepDone`). A repeated report writes nothing.
 */
export async function reportApplied(ctx: ChangeContext, input: RolloutReportInput) {
  const service = await resolveService(ctx.db, input.service);
  const environment = await resolveEnvironment(ctx.db, input.environment);
  const now = Date.now();
  await ctx.db.transaction(async (tx) => {
    const current = await currentRollout(tx, service.id, environment.id, true);
    if (!current) throw new AppError('NOT_FOUND', `No rollout of ${service.slug} in ${environment.name}.`);
    const r = current.row;
    if (r.reportedVersion !== input.version || r.reportedWeight !== input.weight) {
      await recordReport(tx, r.id, input.version, input.weight, now);
      await audit(tx, ctx, {
        action: 'rollout.report',
        targetType: 'rollout',
        targetId: r.id,
        before: { version: r.reportedVersion, weight: r.reportedWeight },
        after: { version: input.version, weight: input.weight },
      });
    }
    const s = current.snapshot;
    const step = s.steps[s.stepIndex];
    const applied =
      s.state === 'progressing' &&
      step?.type === 'setWeight' &&
      input.version.toLowerCase() === s.targetRelease.version.toLowerCase() &&
      input.weight === s.weight;
    if (applied) await applyEvent(tx, ctx, current, { type: 'stepDone', stepIndex: s.stepIndex }, now);
  });
  return desiredState(ctx.db, input);
}
