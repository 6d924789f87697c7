import { describe, expect, it } from 'vitest';
import { transition } from '../../src/services/rollouts/machine';
import { legalNextStates, ROLLOUT_TRANSITIONS } from '../../src/services/rollouts/table';
import {
  ROLLOUT_EVENT_TYPES,
  ROLLOUT_STATES,
  type RolloutEffect,
  type RolloutEventType,
  type RolloutState,
} from '../../src/services/rollouts/types';
import { deepFreeze, effectTypes, eventFor, expectRefused, snapshots, T0 } from './fixtures';

type Expected = [state: RolloutState, stepIndex: number, weight: number, effects: RolloutEffect['type'][]];

const P = 'publishDesired';
const N = 'notifyStateChange';

/**
 * Every legal (state, event) pair with the representative snapshot and event of fixtures.ts (steps: setWeight 20,
 * pause 60 s, analysis, setWeight 50, pause, setWeight 80; canary 1.2.0 over 1.1.0; rollback → 1.0.0 within the
 * window; supersede → 1.3.0): the next state, step, weight and effects. Every other pair is illegal.
 */
const EXPECTED: Record<RolloutState, Partial<Record<RolloutEventType, Expected>>> = {
  pending: {
    start: ['progressing', 0, 20, [P, N]],
    abort: ['aborted', 0, 0, [N]],
    supersede: ['pending', 0, 0, [P]],
    fail: ['failed', 0, 0, [N]],
  },
  progressing: {
    stepDone: ['paused', 1, 20, ['schedulePause', N]],
    promote: ['paused', 1, 20, ['schedulePause', N]],
    promoteFull: ['promoted', 6, 100, ['auditSkippedSteps', P, N]],
    abort: ['aborted', 0, 0, [P, N]],
    rollback: ['rolled_back', 0, 0, [P, N]],
    supersede: ['progressing', 0, 20, [P]],
    fail: ['failed', 0, 0, [P, N]],
  },
  paused: {
    pauseExpired: ['analyzing', 2, 20, ['startAnalysis', N]],
    promote: ['analyzing', 2, 20, ['startAnalysis', N]],
    promoteFull: ['promoted', 6, 100, ['auditSkippedSteps', P, N]],
    abort: ['aborted', 1, 0, [P, N]],
    rollback: ['rolled_back', 1, 0, [P, N]],
    supersede: ['progressing', 0, 20, [P, N]],
    fail: ['failed', 1, 0, [P, N]],
  },
  analyzing: {
    analysisResult: ['progressing', 3, 50, [P, N]],
    promote: ['progressing', 3, 50, ['stopAnalysis', P, N]],
    promoteFull: ['promoted', 6, 100, ['stopAnalysis', 'auditSkippedSteps', P, N]],
    abort: ['aborted', 2, 0, ['stopAnalysis', P, N]],
    rollback: ['rolled_back', 2, 0, ['stopAnalysis', P, N]],
    supersede: ['progressing', 0, 20, ['stopAnalysis', P, N]],
    fail: ['failed', 2, 0, ['stopAnalysis', P, N]],
  },
  promoted: {
    rollback: ['rolled_back', 6, 0, [P, N]],
  },
  aborted: {
    retry: ['progressing', 0, 20, [P, N]],
    rollback: ['rolled_back', 2, 0, [P, N]],
    supersede: ['progressing', 0, 20, [P, N]],
  },
  failed: {
    retry: ['progressing', 0, 20, [P, N]],
    rollback: ['rolled_back', 0, 0, [P, N]],
    supersede: ['progressing', 0, 20, [P, N]],
  },
  rolled_back: {},
};

const NOW = T0 + 3600 * 1000;
const snaps = snapshots();

describe('requirement 3: the rollout transition table, every (state, event) pair', () => {
  it('the fixtures reach one snapshot per state', () => {
    for (const state of ROLLOUT_STATES) expect(snaps[state].state).toBe(state);
  });

  it('the table data lists exactly the legal pairs this test expects', () => {
    for (const state of ROLLOUT_STATES) {
      expect(Object.keys(ROLLOUT_TRANSITIONS[state]).sort(), state).toEqual(
        Object.keys(EXPECTED[state]).sort(),
      );
    }
  });

  for (const state of ROLLOUT_STATES) {
    for (const type of ROLLOUT_EVENT_TYPES) {
      const expected = EXPECTED[state][type];
      if (expected) {
        const [next, stepIndex, weight, effects] = expected;
        it(`requirement 3: ${state} + ${type} → ${next} (step ${stepIndex + 1}, weight ${weight})`, () => {
          const snap = deepFreeze(structuredClone(snaps[state]));
          const r = transition(snap, eventFor(type, snap), NOW);
          if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
          expect(r.next.state).toBe(next);
          expect(r.next.stepIndex).toBe(stepIndex);
          expect(r.next.weight).toBe(weight);
          expect(r.next.updatedAt).toBe(NOW);
          expect(effectTypes(r.effects)).toEqual(effects);
          expect(legalNextStates(state, type)).toContain(next);
          const notified = r.effects.find((e) => e.type === 'notifyStateChange');
          if (next === state) expect(notified).toBeUndefined();
          else expect(notified).toEqual({ type: 'notifyStateChange', from: state, to: next, event: type });
        });
      } else {
        it(`requirement 3: ${state} + ${type} is refused with ROLLOUT_ILLEGAL_TRANSITION and changes nothing`, () => {
          const snap = snaps[state];
          const r = expectRefused(snap, eventFor(type, snap), NOW, 'ROLLOUT_ILLEGAL_TRANSITION');
          if (!r.ok) expect(r.message).toContain(state);
        });
      }
    }
  }
});
