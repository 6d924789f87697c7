/**
 * The canary rollout state machine (spec A1, requirements 3, 4, 5, 6, 7): a pure function of (snapshot, event,
 * now) that returns the next snapshot and the effects a worker must carry out, or a coded refusal. No I/O, no
 * clock of its own; the input snapshot is never modified, so a refusal leaves it exactly as it was.
 *
 * Worker contract: write `next` only if the stored (state, stepIndex, attempt) still equal the snapshot's — a
 * compare-and-set fence — so with 3 instances only one of them applies a given pauseExpired or analysisResult.
 */
import type { ReleaseRef, RolloutStep } from '../../schemas/rollouts';
import { legalNextStates } from './table';
import type {
  Desired,
  RolloutEffect,
  RolloutEvent,
  RolloutSnapshot,
  RolloutTransitionCode,
  TransitionResult,
} from './types';

/** A new rollout of `target`, not yet started; `stableRelease` null means this is the service's first deploy. */
export const newRollout = (
  steps: readonly RolloutStep[],
  targetRelease: ReleaseRef,
  stableRelease: ReleaseRef | null,
  now: number,
): RolloutSnapshot => ({
  state: 'pending',
  steps,
  stepIndex: 0,
  weight: 0,
  targetRelease,
  stableRelease,
  pauseUntil: null,
  attempt: 0,
  analysis: null,
  reason: null,
  rolledBackTo: null,
  updatedAt: now,
});

/** What the deploy tool should run now (the webhook body and the `rollouts.desired` answer). */
export const desiredOf = (s: RolloutSnapshot): Desired => ({
  version: s.targetRelease.version,
  weight: s.weight,
  stableVersion: s.stableRelease?.version ?? null,
});

const sameDesired = (a: Desired, b: Desired) =>
  a.version === b.version && a.weight === b.weight && a.stableVersion === b.stableVersion;

const refuse = (code: RolloutTransitionCode, message: string): TransitionResult => ({
  ok: false,
  code,
  message,
});

const stepName = (s: RolloutSnapshot) => `step ${s.stepIndex + 1} of ${s.steps.length}`;

/** Checks an event against the snapshot beyond the table: fences, due times, releases. */
const guard = (s: RolloutSnapshot, e: RolloutEvent, now: number): TransitionResult | null => {
  switch (e.type) {
    case 'stepDone':
      return e.stepIndex === s.stepIndex
        ? null
        : refuse(
            'ROLLOUT_STALE_EVENT',
            `stepDone names step ${e.stepIndex + 1}; the rollout is at ${stepName(s)}.`,
          );
    case 'pauseExpired':
      // Fence: the worker stores `next` only if the stored stepIndex is still this one, so one instance advances.
      if (e.stepIndex !== s.stepIndex) {
        return refuse(
          'ROLLOUT_STALE_EVENT',
          `pauseExpired names step ${e.stepIndex + 1}; the rollout is at ${stepName(s)}.`,
        );
      }
      if (s.pauseUntil === null) {
        return refuse('ROLLOUT_ILLEGAL_TRANSITION', `The rollout is paused until promoted (${stepName(s)}).`);
      }
      return now >= s.pauseUntil
        ? null
        : refuse(
            'ROLLOUT_PAUSE_NOT_DUE',
            `The pause of ${stepName(s)} ends at ${new Date(s.pauseUntil).toISOString()}.`,
          );
    case 'analysisResult': {
      const run = s.analysis;
      const current =
        run !== null &&
        run.phase === 'running' &&
        run.attempt === e.attempt &&
        run.stepIndex === e.stepIndex &&
        s.stepIndex === e.stepIndex;
      return current
        ? null
        : refuse(
            'ROLLOUT_STALE_EVENT',
            `The analysis run of attempt ${e.attempt}, step ${e.stepIndex + 1} is not the one running.`,
          );
    }
    case 'rollback':
      return e.to.id === s.targetRelease.id
        ? refuse(
            'ROLLOUT_SAME_RELEASE',
            `A rollback cannot go to ${e.to.version}, the release being rolled out.`,
          )
        : null;
    case 'supersede':
      return e.release.id === s.targetRelease.id
        ? refuse('ROLLOUT_SAME_RELEASE', `${e.release.version} is already this rollout's target.`)
        : null;
    default:
      return null;
  }
};

interface Draft {
  next: RolloutSnapshot;
  effects: RolloutEffect[];
}

/** Stops the running analysis, if any, when the rollout leaves its step without a result. */
const leaveStep = (d: Draft): Draft => {
  const run = d.next.analysis;
  if (d.next.state !== 'analyzing' || run === null || run.phase !== 'running') {
    return { next: { ...d.next, pauseUntil: null }, effects: d.effects };
  }
  return {
    next: { ...d.next, pauseUntil: null, analysis: null },
    effects: [...d.effects, { type: 'stopAnalysis', attempt: run.attempt, stepIndex: run.stepIndex }],
  };
};

/** Enters step `index`: the state that step runs in, or promoted past the last step (weight 100). */
const enterStep = (d: Draft, index: number, now: number): Draft => {
  const s = { ...d.next, stepIndex: index, pauseUntil: null };
  const step = s.steps[index];
  if (step === undefined) return promote(d, s);
  switch (step.type) {
    case 'setWeight':
      return { next: { ...s, state: 'progressing', weight: step.weight }, effects: d.effects };
    case 'pause': {
      if (step.durationSeconds === undefined) return { next: { ...s, state: 'paused' }, effects: d.effects };
      const until = now + step.durationSeconds * 1000;
      return {
        next: { ...s, state: 'paused', pauseUntil: until },
        effects: [...d.effects, { type: 'schedulePause', stepIndex: index, until }],
      };
    }
    case 'analysis':
      return {
        next: {
          ...s,
          state: 'analyzing',
          analysis: { attempt: s.attempt, stepIndex: index, phase: 'running' },
        },
        effects: [
          ...d.effects,
          { type: 'startAnalysis', attempt: s.attempt, stepIndex: index, template: step.template },
        ],
      };
  }
};

/** Promoted: every step done or skipped, the target takes all traffic and becomes the stable release. */
const promote = (d: Draft, s: RolloutSnapshot): Draft => ({
  next: {
    ...s,
    state: 'promoted',
    stepIndex: s.steps.length,
    weight: 100,
    stableRelease: s.targetRelease,
    pauseUntil: null,
  },
  effects: d.effects,
});

/** Skips every step from the current one on, listing them for the audit log (requirement 4). */
const skipToEnd = (d: Draft, from: number): Draft => {
  const skipped = d.next.steps.slice(from).map((step, i) => ({ index: from + i, step }));
  const done = promote(d, d.next);
  return skipped.length === 0
    ? done
    : { next: done.next, effects: [...done.effects, { type: 'auditSkippedSteps', steps: skipped }] };
};

/** Retry and supersede: a fresh attempt from step 1 with no canary traffic and a new analysis run. */
const restart = (d: Draft, target: ReleaseRef, now: number): Draft =>
  enterStep(
    {
      next: {
        ...d.next,
        targetRelease: target,
        attempt: d.next.attempt + 1,
        weight: 0,
        analysis: null,
        reason: null,
        rolledBackTo: null,
      },
      effects: d.effects,
    },
    0,
    now,
  );

/** Weight back to 0 with the target kept (abort, analysis failure, fail). */
const halt = (d: Draft, state: 'aborted' | 'failed', reason: string): Draft => {
  const left = leaveStep(d);
  return { next: { ...left.next, state, weight: 0, reason }, effects: left.effects };
};

const apply = (s: RolloutSnapshot, e: RolloutEvent, now: number): Draft => {
  const d: Draft = { next: s, effects: [] };
  switch (e.type) {
    case 'start':
      if (s.stableRelease === null) {
        // The very first deploy has nothing to compare with or fall back to: skip the strategy (Argo FAQ).
        return skipToEnd({ next: { ...s, attempt: 1, reason: 'first_deploy' }, effects: [] }, 0);
      }
      return enterStep({ next: { ...s, attempt: 1 }, effects: [] }, 0, now);
    case 'stepDone':
    case 'pauseExpired':
    case 'promote':
      return enterStep(leaveStep({ next: { ...s, reason: null }, effects: [] }), s.stepIndex + 1, now);
    case 'promoteFull':
      return skipToEnd(leaveStep({ next: { ...s, reason: null }, effects: [] }), s.stepIndex);
    case 'analysisResult': {
      const analysis = { ...s.analysis!, phase: e.phase };
      const settled: Draft = { next: { ...s, analysis }, effects: [] };
      if (e.phase === 'successful') return enterStep(settled, s.stepIndex + 1, now);
      if (e.phase === 'inconclusive') {
        return {
          next: { ...settled.next, state: 'paused', pauseUntil: null, reason: 'inconclusive' },
          effects: [],
        };
      }
      const reason = e.phase === 'failed' ? 'analysis_failed' : 'analysis_error';
      return {
        next: { ...settled.next, state: 'aborted', weight: 0, reason },
        effects: [{ type: 'requestRollback', reason }],
      };
    }
    case 'abort':
      return halt(d, 'aborted', e.reason ?? 'manual');
    case 'fail':
      return halt(d, 'failed', e.reason);
    case 'retry':
      return restart(d, s.targetRelease, now);
    case 'supersede':
      if (s.state === 'pending') return { next: { ...s, targetRelease: e.release }, effects: [] };
      return restart(leaveStep(d), e.release, now);
    case 'rollback': {
      const left = leaveStep(d);
      const next: RolloutSnapshot = { ...left.next, state: 'rolled_back', weight: 0, reason: 'rollback' };
      if (e.skipSteps) {
        // Within the window: the previous release takes all traffic at once, no steps, no analysis.
        return { next: { ...next, stableRelease: e.to, rolledBackTo: e.to }, effects: left.effects };
      }
      return {
        next: { ...next, rolledBackTo: e.to },
        effects: [...left.effects, { type: 'startRollout', release: e.to, stableRelease: s.stableRelease }],
      };
    }
  }
};

/** Applies one event. Illegal or stale events are refused with a code and no change. */
export const transition = (s: RolloutSnapshot, event: RolloutEvent, now: number): TransitionResult => {
  const legal = legalNextStates(s.state, event.type);
  if (legal.length === 0) {
    return refuse(
      'ROLLOUT_ILLEGAL_TRANSITION',
      `A rollout that is ${s.state} does not accept ${event.type}.`,
    );
  }
  const refused = guard(s, event, now);
  if (refused) return refused;
  const { next: applied, effects } = apply(s, event, now);
  if (!legal.includes(applied.state)) {
    // The table and the code disagree: refuse rather than store a state the table does not allow.
    return refuse(
      'ROLLOUT_ILLEGAL_TRANSITION',
      `${event.type} from ${s.state} would lead to ${applied.state}, which the table does not allow.`,
    );
  }
  const next = { ...applied, updatedAt: now };
  const out = [...effects];
  const desired = desiredOf(next);
  if (!sameDesired(desiredOf(s), desired)) out.push({ type: 'publishDesired', desired });
  if (next.state !== s.state)
    out.push({ type: 'notifyStateChange', from: s.state, to: next.state, event: event.type });
  return { ok: true, next, effects: out };
};
