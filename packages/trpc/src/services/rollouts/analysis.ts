/**
 * Analysis of a canary against its stable release (spec A1, requirement 5), pure: a metric's measurements in,
 * its phase out, with Argo's semantics (analysis.go assessMetricStatus, defaults.go):
 * - failure = the comparison breached its maximum; inconclusive = above the marginal threshold only;
 *   error = could not measure (no data, zero stable for a ratio) — counted apart from failures.
 * - after each measurement: failures > failureLimit (unless -1) → failed; inconclusives > inconclusiveLimit →
 *   inconclusive; consecutive errors > consecutiveErrorLimit → error; a success streak of
 *   consecutiveSuccessLimit (when > 0) → successful. A decided metric ignores later measurements.
 * - at `count`: successful, or inconclusive when a success streak was asked for and not reached, or when every
 *   measurement errored (Argo passes that; missing data is never a pass here).
 * - a run stopped early (`terminated`) ends successful unless already decided; dryRun metrics never decide.
 */
import type { AnalysisMetric, ComparisonOp } from '../../schemas/rollouts';
import type { AnalysisPhase } from './types';

export interface Measurement {
  at: number;
  value?: number;
  error?: string;
}

export type MeasurementOutcome = Exclude<AnalysisPhase, 'running'>;

export interface MetricResult {
  name: string;
  dryRun: boolean;
  phase: AnalysisPhase;
  /** Measurements the phase was decided on (later ones are ignored once decided, and past `count`). */
  measured: number;
  successes: number;
  failures: number;
  errors: number;
  inconclusives: number;
  consecutiveErrors: number;
  consecutiveSuccesses: number;
  reason: string;
  /** When the next measurement is due while running; null when decided, or none taken yet (due now). */
  nextMeasurementAt: number | null;
}

/** canary − stable, or canary ÷ stable; missing data and a zero stable for a ratio are errors, never a pass. */
export const compareCanary = (
  op: ComparisonOp,
  canary: number | null | undefined,
  stable: number | null | undefined,
): { value: number } | { error: string } => {
  if (canary === null || canary === undefined || !Number.isFinite(canary)) return { error: 'no canary data' };
  if (stable === null || stable === undefined || !Number.isFinite(stable)) {
    return { error: 'no stable data to compare with' };
  }
  if (op === 'max_delta') return { value: canary - stable };
  // A stable of 0 (no traffic, or an instant reading) makes any ratio meaningless.
  if (stable === 0) return { error: 'stable is 0, so the canary ÷ stable ratio is undefined' };
  return { value: canary / stable };
};

/** One measurement of the metric at `at`, from the canary's and the stable release's readings. */
export const measure = (
  metric: AnalysisMetric,
  canary: number | null | undefined,
  stable: number | null | undefined,
  at: number,
): Measurement => ({ at, ...compareCanary(metric.comparison.op, canary, stable) });

export const assessMeasurement = (metric: AnalysisMetric, m: Measurement): MeasurementOutcome => {
  if (m.error !== undefined || m.value === undefined || !Number.isFinite(m.value)) return 'error';
  const { max, marginal } = metric.comparison;
  if (m.value > max) return 'failed';
  if (marginal !== undefined && m.value > marginal) return 'inconclusive';
  return 'successful';
};

/** The metric's phase after its measurements (in time order); see the module comment for the rules. */
export const evaluateAnalysis = (
  metric: AnalysisMetric,
  measurements: readonly Measurement[],
  options: { terminated?: boolean } = {},
): MetricResult => {
  const r: MetricResult = {
    name: metric.name,
    dryRun: metric.dryRun,
    phase: 'running',
    measured: 0,
    successes: 0,
    failures: 0,
    errors: 0,
    inconclusives: 0,
    consecutiveErrors: 0,
    consecutiveSuccesses: 0,
    reason: 'no measurement yet',
    nextMeasurementAt: null,
  };
  const decide = (phase: MeasurementOutcome, reason: string) => {
    r.phase = phase;
    r.reason = reason;
    r.nextMeasurementAt = null;
    return r;
  };
  for (const m of measurements.slice(0, metric.count)) {
    const outcome = assessMeasurement(metric, m);
    r.measured += 1;
    if (outcome === 'error') {
      r.errors += 1;
      r.consecutiveErrors += 1;
      r.consecutiveSuccesses = 0;
    } else {
      r.consecutiveErrors = 0;
      if (outcome === 'successful') {
        r.successes += 1;
        r.consecutiveSuccesses += 1;
      } else {
        r.consecutiveSuccesses = 0;
        if (outcome === 'failed') r.failures += 1;
        else r.inconclusives += 1;
      }
    }
    if (metric.failureLimit >= 0 && r.failures > metric.failureLimit) {
      return decide('failed', `${r.failures} failed measurements > failureLimit ${metric.failureLimit}`);
    }
    if (r.inconclusives > metric.inconclusiveLimit) {
      return decide(
        'inconclusive',
        `${r.inconclusives} inconclusive measurements > inconclusiveLimit ${metric.inconclusiveLimit}`,
      );
    }
    if (r.consecutiveErrors > metric.consecutiveErrorLimit) {
      return decide(
        'error',
        `${r.consecutiveErrors} consecutive errors > consecutiveErrorLimit ${metric.consecutiveErrorLimit}`,
      );
    }
    if (metric.consecutiveSuccessLimit > 0 && r.consecutiveSuccesses >= metric.consecutiveSuccessLimit) {
      return decide('successful', `${r.consecutiveSuccesses} successes in a row`);
    }
    if (r.measured === metric.count) {
      // Our one departure from Argo (which passes here): a metric that never measured is not a pass.
      if (r.errors === r.measured)
        return decide('inconclusive', `count ${metric.count} reached, every measurement errored`);
      return metric.consecutiveSuccessLimit > 0
        ? decide(
            'inconclusive',
            `count ${metric.count} reached without ${metric.consecutiveSuccessLimit} successes in a row`,
          )
        : decide('successful', `count ${metric.count} reached`);
    }
    r.nextMeasurementAt = m.at + metric.intervalSeconds * 1000;
  }
  if (options.terminated) {
    return decide('successful', 'run stopped before its count, nothing breached');
  }
  if (r.measured > 0) r.reason = `${r.measured} of ${metric.count} measurements`;
  return r;
};

const SEVERITY: Record<AnalysisPhase, number> = {
  successful: 0,
  running: 1,
  inconclusive: 2,
  error: 3,
  failed: 4,
};

/**
 * The run's phase from its metrics' results: a failed or errored deciding metric ends the run at once;
 * otherwise it runs while any deciding metric runs, then ends inconclusive or successful. dryRun never decides.
 */
export const analysisRunPhase = (results: readonly MetricResult[]): AnalysisPhase => {
  const deciding = results.filter((r) => !r.dryRun);
  const worst = deciding.reduce<AnalysisPhase>(
    (acc, r) => (SEVERITY[r.phase] > SEVERITY[acc] ? r.phase : acc),
    'successful',
  );
  if (worst === 'failed' || worst === 'error') return worst;
  if (deciding.some((r) => r.phase === 'running')) return 'running';
  return worst;
};
