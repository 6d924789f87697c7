import { describe, expect, it } from 'vitest';
import { type ReleaseHistoryEntry, rollbackPlan } from '../../src/services/rollouts/rollback';

const rel = (n: number) => ({ id: `rel-${n}`, version: `1.${n}.0` });
const entry = (n: number, outcome: ReleaseHistoryEntry['outcome']): ReleaseHistoryEntry => ({
  release: rel(n),
  outcome,
});

// Newest first: 1.6.0 is being rolled out; 1.4.0 failed; the rest succeeded.
const HISTORY = [
  entry(6, 'in_progress'),
  entry(5, 'succeeded'),
  entry(4, 'failed'),
  entry(3, 'succeeded'),
  entry(2, 'succeeded'),
  entry(1, 'succeeded'),
];

describe('requirement 6: the rollback plan and its window', () => {
  it('requirement 6: by default it targets the previous good release, within the window', () => {
    expect(rollbackPlan(HISTORY, rel(6))).toMatchObject({
      ok: true,
      to: rel(5),
      skipSteps: true,
      releasesBack: 1,
    });
  });

  it('requirement 6: the previous good release skips a failed one in between', () => {
    const history = [
      entry(6, 'in_progress'),
      entry(5, 'failed'),
      entry(4, 'rolled_back'),
      entry(3, 'succeeded'),
    ];
    expect(rollbackPlan(history, rel(6))).toMatchObject({
      ok: true,
      to: rel(3),
      releasesBack: 3,
      skipSteps: true,
    });
  });

  it('requirement 6: the 3rd release back is inside the default window of 3; the 4th is outside', () => {
    expect(rollbackPlan(HISTORY, rel(6), { to: 'rel-3' })).toMatchObject({
      skipSteps: true,
      releasesBack: 3,
    });
    const far = rollbackPlan(HISTORY, rel(6), { to: 'rel-2' });
    expect(far).toMatchObject({ ok: true, to: rel(2), skipSteps: false, releasesBack: 4 });
    if (far.ok) expect(far.reason).toContain('full steps');
  });

  it('requirement 6: the window is configurable', () => {
    expect(rollbackPlan(HISTORY, rel(6), { to: 'rel-3', windowN: 2 })).toMatchObject({ skipSteps: false });
    expect(rollbackPlan(HISTORY, rel(6), { to: 'rel-1', windowN: 5 })).toMatchObject({ skipSteps: true });
  });

  it('requirement 6: a redeployed release counts once, at its latest place', () => {
    const history = [
      entry(6, 'in_progress'),
      entry(3, 'succeeded'),
      entry(5, 'succeeded'),
      entry(3, 'succeeded'),
    ];
    expect(rollbackPlan(history, rel(6), { to: 'rel-3' })).toMatchObject({ releasesBack: 1 });
    expect(rollbackPlan(history, rel(6), { to: 'rel-5' })).toMatchObject({ releasesBack: 2 });
  });

  it('requirement 6: no earlier good release, an unknown one, or one that never succeeded is refused', () => {
    expect(rollbackPlan([entry(6, 'in_progress')], rel(6))).toMatchObject({
      ok: false,
      code: 'ROLLOUT_NO_PREVIOUS_RELEASE',
    });
    expect(rollbackPlan([entry(6, 'in_progress'), entry(5, 'failed')], rel(6))).toMatchObject({
      ok: false,
      code: 'ROLLOUT_NO_PREVIOUS_RELEASE',
    });
    expect(rollbackPlan(HISTORY, rel(6), { to: 'rel-9' })).toMatchObject({
      ok: false,
      code: 'ROLLOUT_NO_PREVIOUS_RELEASE',
    });
    expect(rollbackPlan(HISTORY, rel(6), { to: 'rel-4' })).toMatchObject({
      ok: false,
      code: 'ROLLOUT_ROLLBACK_NOT_GOOD',
    });
  });

  it('requirement 6: the release being rolled back is never its own target, even when it succeeded before', () => {
    const history = [entry(6, 'succeeded'), entry(5, 'succeeded')];
    expect(rollbackPlan(history, rel(6))).toMatchObject({ ok: true, to: rel(5) });
    expect(rollbackPlan(history, rel(6), { to: 'rel-6' })).toMatchObject({ ok: false });
  });
});
