/**
 * The rollout transition table (requirement 3), as data: for each state, the events it accepts and the states
 * each may lead to. `transition` refuses every (state, event) pair missing here with ROLLOUT_ILLEGAL_TRANSITION;
 * the test checks that every next state it computes is listed here, so the table cannot drift from the code.
 */
import type { RolloutEventType, RolloutState } from './types';

/** Entering a step lands in the state that step runs in; past the last step the rollout is promoted. */
const ENTER_STEP = [
  'progressing',
  'paused',
  'analyzing',
  'promoted',
] as const satisfies readonly RolloutState[];

export const ROLLOUT_TRANSITIONS: Record<
  RolloutState,
  Partial<Record<RolloutEventType, readonly RolloutState[]>>
> = {
  pending: {
    // A first deploy (no stable release) skips the strategy and is promoted at once (Argo FAQ).
    start: ENTER_STEP,
    abort: ['aborted'],
    supersede: ['pending'],
    fail: ['failed'],
  },
  progressing: {
    stepDone: ENTER_STEP,
    promote: ENTER_STEP,
    promoteFull: ['promoted'],
    abort: ['aborted'],
    rollback: ['rolled_back'],
    supersede: ENTER_STEP,
    fail: ['failed'],
  },
  paused: {
    pauseExpired: ENTER_STEP,
    promote: ENTER_STEP,
    promoteFull: ['promoted'],
    abort: ['aborted'],
    rollback: ['rolled_back'],
    supersede: ENTER_STEP,
    fail: ['failed'],
  },
  analyzing: {
    // successful → next step; inconclusive → paused for a human; failed or error → aborted (requirement 5).
    analysisResult: [...ENTER_STEP, 'aborted'],
    promote: ENTER_STEP,
    promoteFull: ['promoted'],
    abort: ['aborted'],
    rollback: ['rolled_back'],
    supersede: ENTER_STEP,
    fail: ['failed'],
  },
  // A promoted release can still be rolled back; a newer release starts a new rollout instead of superseding.
  promoted: { rollback: ['rolled_back'] },
  // Abort keeps the target: retry tries it again from step 1; rollback or a newer release moves on.
  aborted: { retry: ENTER_STEP, rollback: ['rolled_back'], supersede: ENTER_STEP },
  failed: { retry: ENTER_STEP, rollback: ['rolled_back'], supersede: ENTER_STEP },
  rolled_back: {},
};

export const legalNextStates = (state: RolloutState, event: RolloutEventType): readonly RolloutState[] =>
  ROLLOUT_TRANSITIONS[state][event] ?? [];
