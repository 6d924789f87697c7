/** The canary rollout core: pure decisions the rollout workers and procedures call (no database here). */
export {
  analysisRunPhase,
  assessMeasurement,
  compareCanary,
  evaluateAnalysis,
  type Measurement,
  type MeasurementOutcome,
  type MetricResult,
  measure,
} from './analysis';
export { desiredOf, newRollout, transition } from './machine';
export {
  type ReleaseHistoryEntry,
  type ReleaseOutcome,
  type RollbackPlan,
  rollbackPlan,
} from './rollback';
export { legalNextStates, ROLLOUT_TRANSITIONS } from './table';
export {
  ANALYSIS_PHASES,
  type AnalysisPhase,
  type AnalysisRunRef,
  type Desired,
  ROLLOUT_EVENT_TYPES,
  ROLLOUT_STATES,
  ROLLOUT_TRANSITION_CODES,
  type RolloutEffect,
  type RolloutEvent,
  type RolloutEventType,
  type RolloutSnapshot,
  type RolloutState,
  type RolloutTransitionCode,
  type TransitionResult,
} from './types';
