/**
 * The canary rollout's data (spec A1, requirement 3): what a worker stores per rollout, the events it feeds the
 * state machine, and the effects it must carry out. Times are epoch ms from the caller's clock.
 */
import type { AppErrorCode } from '../../error-codes';
import type { AnalysisTemplate, ReleaseRef, RolloutStep } from '../../schemas/rollouts';

export const ROLLOUT_STATES = [
  'pending',
  'progressing',
  'paused',
  'analyzing',
  'promoted',
  'aborted',
  'rolled_back',
  'failed',
] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export const ANALYSIS_PHASES = ['running', 'successful', 'failed', 'inconclusive', 'error'] as const;
export type AnalysisPhase = (typeof ANALYSIS_PHASES)[number];

/** The analysis run of one step in one attempt: (attempt, stepIndex) names it, so a superseded run never counts. */
export interface AnalysisRunRef {
  attempt: number;
  stepIndex: number;
  phase: AnalysisPhase;
}

export interface RolloutSnapshot {
  state: RolloutState;
  /** The rollout's validated definition (`rolloutSteps`). */
  steps: readonly RolloutStep[];
  /** The step being run; steps.length once every step is done. */
  stepIndex: number;
  /** The canary's share of traffic, 0..100; the stable release serves the rest. */
  weight: number;
  /** The release being rolled out; kept by abort (retry tries it again). */
  targetRelease: ReleaseRef;
  /** The release serving the rest of the traffic; null before the first deploy. Becomes the target on promotion. */
  stableRelease: ReleaseRef | null;
  /** Set while a timed pause runs; null for a pause until promoted, and outside pauses. */
  pauseUntil: number | null;
  /** 0 while pending; 1 on start, +1 on every retry and supersede. */
  attempt: number;
  analysis: AnalysisRunRef | null;
  /** Why the rollout is paused, aborted, failed or rolled back ('inconclusive', 'analysis_failed', …). */
  reason: string | null;
  /** Set when rolled back: the release that now serves everything (or is rolled out again with full steps). */
  rolledBackTo: ReleaseRef | null;
  updatedAt: number;
}

/** Every event a worker or a person sends; fenced events name the step (and attempt) they were meant for. */
export type RolloutEvent =
  | { type: 'start' }
  /** The deploy tool reported the current setWeight step's weight applied. */
  | { type: 'stepDone'; stepIndex: number }
  | { type: 'pauseExpired'; stepIndex: number }
  | { type: 'promote' }
  | { type: 'promoteFull' }
  | { type: 'analysisResult'; attempt: number; stepIndex: number; phase: Exclude<AnalysisPhase, 'running'> }
  | { type: 'abort'; reason?: string }
  | { type: 'retry' }
  /** `to` and `skipSteps` come from rollbackPlan. */
  | { type: 'rollback'; to: ReleaseRef; skipSteps: boolean }
  | { type: 'supersede'; release: ReleaseRef }
  /** The deploy tool could not apply the desired state, or progress stalled past its deadline. */
  | { type: 'fail'; reason: string };
export type RolloutEventType = RolloutEvent['type'];
export const ROLLOUT_EVENT_TYPES = [
  'start',
  'stepDone',
  'pauseExpired',
  'promote',
  'promoteFull',
  'analysisResult',
  'abort',
  'retry',
  'rollback',
  'supersede',
  'fail',
] as const satisfies readonly RolloutEventType[];

/** What the deploy tool is told: `weight` % to `version`, the rest to `stableVersion`. */
export interface Desired {
  version: string;
  weight: number;
  stableVersion: string | null;
}

export type RolloutEffect =
  /** Webhook to the deploy tool and the value `rollouts.desired` answers. */
  | { type: 'publishDesired'; desired: Desired }
  | { type: 'startAnalysis'; attempt: number; stepIndex: number; template: AnalysisTemplate }
  | { type: 'stopAnalysis'; attempt: number; stepIndex: number }
  | { type: 'schedulePause'; stepIndex: number; until: number }
  /** One audit entry per step a full promotion (or a first deploy) skipped. */
  | { type: 'auditSkippedSteps'; steps: { index: number; step: RolloutStep }[] }
  /** Analysis failed: the worker sends `rollback` next unless the rollout's policy freezes on failure. */
  | { type: 'requestRollback'; reason: string }
  /** A rollback outside the window: the previous release runs as a new rollout with full steps and analysis. */
  | { type: 'startRollout'; release: ReleaseRef; stableRelease: ReleaseRef | null }
  /** The state-change webhook (one per state change). */
  | { type: 'notifyStateChange'; from: RolloutState; to: RolloutState; event: RolloutEventType };

export const ROLLOUT_TRANSITION_CODES = [
  'ROLLOUT_ILLEGAL_TRANSITION',
  'ROLLOUT_STALE_EVENT',
  'ROLLOUT_PAUSE_NOT_DUE',
  'ROLLOUT_SAME_RELEASE',
] as const satisfies readonly AppErrorCode[];
export type RolloutTransitionCode = (typeof ROLLOUT_TRANSITION_CODES)[number];

export type TransitionResult =
  | { ok: true; next: RolloutSnapshot; effects: RolloutEffect[] }
  | { ok: false; code: RolloutTransitionCode; message: string };
