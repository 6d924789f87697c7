/** The one writer of rollout_analysis_runs and rollout_measurements: a run per (attempt, analysis step). */
import { and, asc, type DbOrTx, eq, schema } from '@sextant/db';
import type { AnalysisTemplate } from '../../schemas/rollouts';
import type { Measurement, MeasurementOutcome } from './analysis';

const { rolloutAnalysisRuns, rolloutMeasurements } = schema;
export type RunRow = typeof rolloutAnalysisRuns.$inferSelect;

const runOf = (rolloutId: string, attempt: number, stepIndex: number) =>
  and(
    eq(rolloutAnalysisRuns.rolloutId, rolloutId),
    eq(rolloutAnalysisRuns.attempt, attempt),
    eq(rolloutAnalysisRuns.stepIndex, stepIndex),
  );

export async function startRun(
  tx: DbOrTx,
  v: {
    rolloutId: string;
    attempt: number;
    stepIndex: number;
    template: AnalysisTemplate;
    canaryVersion: string;
    stableVersion: string | null;
  },
  now: number,
) {
  await tx
    .insert(rolloutAnalysisRuns)
    .values({ ...v, startedAt: new Date(now) })
    .onConflictDoNothing();
}

/** Ends the run if it still runs: with its result, or `stopped` when the rollout left the step without one. */
export async function endRun(
  tx: DbOrTx,
  rolloutId: string,
  attempt: number,
  stepIndex: number,
  phase: MeasurementOutcome | 'stopped',
  now: number,
) {
  await tx
    .update(rolloutAnalysisRuns)
    .set({ phase, endedAt: new Date(now) })
    .where(and(runOf(rolloutId, attempt, stepIndex), eq(rolloutAnalysisRuns.phase, 'running')));
}

export async function findRun(tx: DbOrTx, rolloutId: string, attempt: number, stepIndex: number) {
  const [run] = await tx
    .select()
    .from(rolloutAnalysisRuns)
    .where(runOf(rolloutId, attempt, stepIndex));
  return run ?? null;
}

/** A run's measurements per metric, in time order, as evaluateAnalysis takes them. */
export async function measurementsOf(tx: DbOrTx, runId: string) {
  const rows = await tx
    .select()
    .from(rolloutMeasurements)
    .where(eq(rolloutMeasurements.runId, runId))
    .orderBy(asc(rolloutMeasurements.at));
  const byMetric = new Map<string, Measurement[]>();
  for (const r of rows) {
    const list = byMetric.get(r.metric) ?? [];
    list.push({
      at: r.at.getTime(),
      ...(r.value !== null ? { value: r.value } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
    });
    byMetric.set(r.metric, list);
  }
  return byMetric;
}

export async function recordMeasurement(
  tx: DbOrTx,
  v: {
    runId: string;
    metric: string;
    m: Measurement;
    canary: number | null;
    stable: number | null;
    phase: MeasurementOutcome;
  },
) {
  await tx
    .insert(rolloutMeasurements)
    .values({
      runId: v.runId,
      metric: v.metric,
      at: new Date(v.m.at),
      value: v.m.value ?? null,
      error: v.m.error?.slice(0, 500) ?? null,
      canary: v.canary,
      stable: v.stable,
      phase: v.phase,
    })
    .onConflictDoNothing();
}
