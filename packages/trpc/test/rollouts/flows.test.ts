import { describe, expect, it } from 'vitest';
import { desiredOf, newRollout, transition } from '../../src/services/rollouts/machine';
import { rollbackPlan } from '../../src/services/rollouts/rollback';
import type { RolloutSnapshot } from '../../src/services/rollouts/types';
import {
  deepFreeze,
  effectTypes,
  expectRefused,
  ok,
  pending,
  run,
  STEPS,
  s,
  snapshots,
  T0,
  TEMPLATE,
  v0,
  v1,
  v2,
  v3,
} from './fixtures';

const snaps = snapshots();

describe('requirement 4: timed pauses, promote, promote full', () => {
  const paused = snaps.paused; // step 2 of 6, a 60 s pause that began at T0 + 1 s

  it('requirement 4: a timed pause schedules its end and pauseExpired is refused before it', () => {
    expect(paused.pauseUntil).toBe(T0 + 61 * s);
    expectRefused(paused, { type: 'pauseExpired', stepIndex: 1 }, T0 + 61 * s - 1, 'ROLLOUT_PAUSE_NOT_DUE');
    const r = ok(transition(paused, { type: 'pauseExpired', stepIndex: 1 }, T0 + 61 * s));
    expect(r.next).toMatchObject({ state: 'analyzing', stepIndex: 2, pauseUntil: null });
  });

  it('requirement 4: three instances see the same expiry; after the first applies, the others are stale', () => {
    // Each instance read the same row; the fence (state, stepIndex, attempt) lets only the first write land.
    const reads = [structuredClone(paused), structuredClone(paused), structuredClone(paused)].map(deepFreeze);
    const computed = reads.map((snap) =>
      ok(transition(snap, { type: 'pauseExpired', stepIndex: 1 }, T0 + 70 * s)),
    );
    expect(new Set(computed.map((c) => JSON.stringify(c.next))).size).toBe(1);
    // The compare-and-set fails for instances 2 and 3 (the stored step moved); re-reading, they are refused.
    const stored = computed[0]!.next;
    expect(stored.stepIndex).not.toBe(paused.stepIndex);
    expectRefused(stored, { type: 'pauseExpired', stepIndex: 1 }, T0 + 70 * s, 'ROLLOUT_ILLEGAL_TRANSITION');
    // Even when the next step is a pause of its own, a second expiry of the old step is stale.
    const twoPauses = newRollout(
      [
        { type: 'pause', durationSeconds: 10 },
        { type: 'pause', durationSeconds: 10 },
      ],
      v2,
      v1,
      T0,
    );
    const first = run(twoPauses, [
      [{ type: 'start' }],
      [{ type: 'pauseExpired', stepIndex: 0 }, T0 + 10 * s],
    ]).snap;
    expect(first).toMatchObject({ state: 'paused', stepIndex: 1, pauseUntil: T0 + 20 * s });
    expectRefused(first, { type: 'pauseExpired', stepIndex: 0 }, T0 + 30 * s, 'ROLLOUT_STALE_EVENT');
  });

  it('requirement 4: a pause without a duration waits for promote; pauseExpired is illegal there', () => {
    const atPause = run(snaps.analyzing, [
      [{ type: 'analysisResult', attempt: 1, stepIndex: 2, phase: 'successful' }],
      [{ type: 'stepDone', stepIndex: 3 }],
    ]).snap;
    expect(atPause).toMatchObject({ state: 'paused', stepIndex: 4, pauseUntil: null, weight: 50 });
    expectRefused(
      atPause,
      { type: 'pauseExpired', stepIndex: 4 },
      T0 + 86_400 * s,
      'ROLLOUT_ILLEGAL_TRANSITION',
    );
    const r = ok(transition(atPause, { type: 'promote' }, T0 + 100 * s));
    expect(r.next).toMatchObject({ state: 'progressing', stepIndex: 5, weight: 80 });
  });

  it('requirement 4: promote advances exactly one step from every step, then completes at weight 100', () => {
    let snap = run(pending(), [[{ type: 'start' }]]).snap;
    const seen: [string, number, number][] = [];
    while (snap.state !== 'promoted') {
      const r = ok(transition(deepFreeze(snap), { type: 'promote' }, T0 + 5 * s));
      expect(r.next.stepIndex).toBe(snap.stepIndex + 1);
      snap = r.next;
      seen.push([snap.state, snap.stepIndex, snap.weight]);
    }
    expect(seen).toEqual([
      ['paused', 1, 20],
      ['analyzing', 2, 20],
      ['progressing', 3, 50],
      ['paused', 4, 50],
      ['progressing', 5, 80],
      ['promoted', 6, 100],
    ]);
    expect(snap.stableRelease).toEqual(v2);
    expect(desiredOf(snap)).toEqual({ version: '1.2.0', weight: 100, stableVersion: '1.2.0' });
  });

  it('requirement 4: promote full finishes at weight 100 and lists the skipped steps for the audit', () => {
    const r = ok(transition(snaps.analyzing, { type: 'promoteFull' }, T0 + 100 * s));
    expect(r.next).toMatchObject({ state: 'promoted', weight: 100, stepIndex: 6, stableRelease: v2 });
    const audit = r.effects.find((e) => e.type === 'auditSkippedSteps');
    expect(audit).toEqual({
      type: 'auditSkippedSteps',
      steps: [2, 3, 4, 5].map((index) => ({ index, step: STEPS[index] })),
    });
    expect(r.effects[0]).toEqual({ type: 'stopAnalysis', attempt: 1, stepIndex: 2 });
    expect(r.effects).toContainEqual({
      type: 'publishDesired',
      desired: { version: '1.2.0', weight: 100, stableVersion: '1.2.0' },
    });
  });

  it('requirement 4: a first deploy (no stable release) skips the strategy and audits every step', () => {
    const r = ok(transition(newRollout(STEPS, v2, null, T0), { type: 'start' }, T0));
    expect(r.next).toMatchObject({ state: 'promoted', weight: 100, reason: 'first_deploy', attempt: 1 });
    expect(effectTypes(r.effects)).toEqual(['auditSkippedSteps', 'publishDesired', 'notifyStateChange']);
  });
});

describe('requirement 5: what an analysis result does to the rollout', () => {
  const result = (phase: 'successful' | 'failed' | 'inconclusive' | 'error') =>
    ({ type: 'analysisResult', attempt: 1, stepIndex: 2, phase }) as const;

  it('requirement 5: the analysis step starts a run named by (attempt, step)', () => {
    const r = ok(transition(snaps.paused, { type: 'promote' }, T0 + 5 * s));
    expect(r.effects[0]).toEqual({
      type: 'startAnalysis',
      attempt: 1,
      stepIndex: 2,
      template: TEMPLATE,
    });
    expect(r.next.analysis).toEqual({ attempt: 1, stepIndex: 2, phase: 'running' });
  });

  it('requirement 5: failed → aborted at weight 0, target kept, rollback requested', () => {
    const r = ok(transition(snaps.analyzing, result('failed'), T0 + 400 * s));
    expect(r.next).toMatchObject({
      state: 'aborted',
      weight: 0,
      targetRelease: v2,
      reason: 'analysis_failed',
    });
    expect(r.next.analysis).toEqual({ attempt: 1, stepIndex: 2, phase: 'failed' });
    expect(r.effects).toEqual([
      { type: 'requestRollback', reason: 'analysis_failed' },
      { type: 'publishDesired', desired: { version: '1.2.0', weight: 0, stableVersion: '1.1.0' } },
      { type: 'notifyStateChange', from: 'analyzing', to: 'aborted', event: 'analysisResult' },
    ]);
  });

  it('requirement 5: error (measurements kept failing) is treated like failed', () => {
    const r = ok(transition(snaps.analyzing, result('error'), T0 + 400 * s));
    expect(r.next).toMatchObject({ state: 'aborted', weight: 0, reason: 'analysis_error' });
  });

  it('requirement 5: inconclusive → paused for a human (no end time); promote continues past the analysis', () => {
    const r = ok(transition(snaps.analyzing, result('inconclusive'), T0 + 400 * s));
    expect(r.next).toMatchObject({ state: 'paused', pauseUntil: null, weight: 20, reason: 'inconclusive' });
    expect(effectTypes(r.effects)).toEqual(['notifyStateChange']);
    expectRefused(r.next, { type: 'pauseExpired', stepIndex: 2 }, T0 + 9e6, 'ROLLOUT_ILLEGAL_TRANSITION');
    const on = ok(transition(r.next, { type: 'promote' }, T0 + 500 * s));
    expect(on.next).toMatchObject({ state: 'progressing', stepIndex: 3, weight: 50, reason: null });
  });

  it('requirement 5: a result for another attempt or step is stale and changes nothing', () => {
    expectRefused(snaps.analyzing, { ...result('failed'), attempt: 2 }, T0, 'ROLLOUT_STALE_EVENT');
    expectRefused(snaps.analyzing, { ...result('failed'), stepIndex: 1 }, T0, 'ROLLOUT_STALE_EVENT');
    const decided = ok(transition(snaps.analyzing, result('inconclusive'), T0)).next;
    expectRefused(decided, result('failed'), T0, 'ROLLOUT_ILLEGAL_TRANSITION');
  });
});

describe('requirement 6: abort, retry, rollback', () => {
  it('requirement 6: abort keeps the target at weight 0; retry restarts at step 1 in a new attempt', () => {
    const aborted = snaps.aborted;
    expect(aborted).toMatchObject({
      state: 'aborted',
      weight: 0,
      targetRelease: v2,
      stepIndex: 2,
      analysis: null,
    });
    const r = ok(transition(aborted, { type: 'retry' }, T0 + 900 * s));
    expect(r.next).toMatchObject({
      state: 'progressing',
      stepIndex: 0,
      weight: 20,
      attempt: 2,
      targetRelease: v2,
    });
    expectRefused(r.next, { type: 'retry' }, T0, 'ROLLOUT_ILLEGAL_TRANSITION');
  });

  it('requirement 6: promote and abort on an aborted rollout are refused (Argo #3120, #2929)', () => {
    expectRefused(snaps.aborted, { type: 'promote' }, T0, 'ROLLOUT_ILLEGAL_TRANSITION');
    expectRefused(snaps.aborted, { type: 'abort' }, T0, 'ROLLOUT_ILLEGAL_TRANSITION');
    expectRefused(snaps.promoted, { type: 'retry' }, T0, 'ROLLOUT_ILLEGAL_TRANSITION');
  });

  const history = [
    { release: v2, outcome: 'in_progress' as const },
    { release: v1, outcome: 'succeeded' as const },
    { release: v0, outcome: 'succeeded' as const },
  ];

  it('requirement 6: a rollback within the window puts the previous good release on all traffic at once', () => {
    const plan = rollbackPlan(history, v2);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan).toMatchObject({ to: v1, skipSteps: true, releasesBack: 1 });
    const r = ok(transition(snaps.aborted, { type: 'rollback', to: plan.to, skipSteps: plan.skipSteps }, T0));
    expect(r.next).toMatchObject({ state: 'rolled_back', weight: 0, stableRelease: v1, rolledBackTo: v1 });
    expect(effectTypes(r.effects)).toEqual(['notifyStateChange']);
    expect(desiredOf(r.next)).toEqual({ version: '1.2.0', weight: 0, stableVersion: '1.1.0' });
  });

  it('requirement 6: rolling back a promoted release moves all traffic to the earlier one', () => {
    const r = ok(transition(snaps.promoted, { type: 'rollback', to: v1, skipSteps: true }, T0));
    expect(desiredOf(snaps.promoted)).toEqual({ version: '1.2.0', weight: 100, stableVersion: '1.2.0' });
    expect(r.effects[0]).toEqual({
      type: 'publishDesired',
      desired: { version: '1.2.0', weight: 0, stableVersion: '1.1.0' },
    });
  });

  it('requirement 6: a rollback beyond the window starts a full rollout of the earlier release', () => {
    const r = ok(transition(snaps.promoted, { type: 'rollback', to: v0, skipSteps: false }, T0));
    expect(r.next).toMatchObject({ state: 'rolled_back', stableRelease: v2, rolledBackTo: v0 });
    expect(r.effects).toContainEqual({ type: 'startRollout', release: v0, stableRelease: v2 });
  });

  it('requirement 6: a rollback to the release being rolled out is refused', () => {
    expectRefused(snaps.aborted, { type: 'rollback', to: v2, skipSteps: true }, T0, 'ROLLOUT_SAME_RELEASE');
  });
});

describe('requirement 7: a newer release supersedes a running rollout', () => {
  it('requirement 7: supersede during analysis stops the old run and restarts at step 1 with the new target', () => {
    const r = ok(transition(snaps.analyzing, { type: 'supersede', release: v3 }, T0 + 100 * s));
    expect(r.effects[0]).toEqual({ type: 'stopAnalysis', attempt: 1, stepIndex: 2 });
    expect(r.next).toMatchObject({
      state: 'progressing',
      stepIndex: 0,
      weight: 20,
      attempt: 2,
      targetRelease: v3,
      stableRelease: v1,
      analysis: null,
    });
  });

  it('requirement 7: the new target runs a new analysis; the old run can never resume', () => {
    const superseded = ok(transition(snaps.analyzing, { type: 'supersede', release: v3 }, T0 + 100 * s)).next;
    const old = { type: 'analysisResult', attempt: 1, stepIndex: 2, phase: 'successful' } as const;
    expectRefused(superseded, old, T0 + 101 * s, 'ROLLOUT_ILLEGAL_TRANSITION');
    const again = run(superseded, [
      [{ type: 'stepDone', stepIndex: 0 }, T0 + 101 * s],
      [{ type: 'pauseExpired', stepIndex: 1 }, T0 + 161 * s],
    ]);
    expect(again.effects[1]![0]).toEqual({
      type: 'startAnalysis',
      attempt: 2,
      stepIndex: 2,
      template: TEMPLATE,
    });
    expectRefused(again.snap, old, T0 + 162 * s, 'ROLLOUT_STALE_EVENT');
    const passed = ok(transition(again.snap, { ...old, attempt: 2 }, T0 + 400 * s));
    expect(passed.next).toMatchObject({ state: 'progressing', stepIndex: 3, targetRelease: v3 });
  });

  it('requirement 7: supersede of a pending rollout just replaces its target; the same release is refused', () => {
    const r = ok(transition(pending(), { type: 'supersede', release: v3 }, T0));
    expect(r.next).toMatchObject({ state: 'pending', targetRelease: v3, attempt: 0 });
    expectRefused(snaps.progressing, { type: 'supersede', release: v2 }, T0, 'ROLLOUT_SAME_RELEASE');
  });

  it('requirement 7: a finished rollout is not superseded (a newer release starts a rollout of its own)', () => {
    const finished: RolloutSnapshot[] = [snaps.promoted, snaps.rolled_back];
    for (const snap of finished) {
      expectRefused(snap, { type: 'supersede', release: v3 }, T0, 'ROLLOUT_ILLEGAL_TRANSITION');
    }
  });
});
