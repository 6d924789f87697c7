/**
 * The rollout worker's tick (requirements 4, 5): claims due rollouts one at a time with FOR UPDATE SKIP LOCKED,
 * so of several API instances exactly one handles a rollout per tick, and every write is still fenced on (state,
 * step_index, attempt). A due timed pause gets `pauseExpired`; a running analysis takes the measurements that are
 * due, and once `analysisRunPhase` decides, the worker sends `analysisResult` (failed → abort and the rollback the
 * core asks for; inconclusive → paused for a human).
 */
import type { Db, DbOrTx, Sql } from '@sextant/db';
import type { AnalysisTemplate } from '../../schemas/rollouts';
import { analysisRunPhase, assessMeasurement, evaluateAnalysis, measure } from './analysis';
import { readCanaryAndStable } from './measure';
import { endRun, findRun, measurementsOf, recordMeasurement } from './runs';
import { applyEvent, claimDue, type Loaded, scheduleCheck, WORKER } from './store';

export interface RolloutTickResult {
  /** Rollouts this instance held and handled. */
  handled: number;
  /** Transitions it applied (pause ends, analysis results). */
  advanced: number;
  measured: number;
}

/** One tick at `nowMs`: handles at most `limit` due rollouts. */
export async function rolloutTick(
  o: { db: Db; sql: Sql },
  nowMs: number,
  limit = 20,
): Promise<RolloutTickResult> {
  const result: RolloutTickResult = { handled: 0, advanced: 0, measured: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < limit; i++) {
    const more = await o.db.transaction(async (tx) => {
      const loaded = await claimDue(tx, nowMs, [...seen]);
      if (!loaded) return false;
      seen.add(loaded.row.id);
      result.handled += 1;
      await handle(tx, o.sql, loaded, nowMs, result);
      return true;
    });
    if (!more) break;
  }
  return result;
}

async function handle(tx: DbOrTx, sql: Sql, loaded: Loaded, now: number, result: RolloutTickResult) {
  const s = loaded.snapshot;
  if (s.state === 'paused' && s.pauseUntil !== null) {
    if (s.pauseUntil > now) {
      await scheduleCheck(tx, loaded, new Date(s.pauseUntil));
      return;
    }
    await applyEvent(tx, WORKER, loaded, { type: 'pauseExpired', stepIndex: s.stepIndex }, now);
    result.advanced += 1;
    return;
  }
  if (s.state === 'analyzing' && s.analysis?.phase === 'running') {
    await analyze(tx, sql, loaded, now, result);
    return;
  }
  // Nothing is due in this state (a stale due time): stop looking until a transition sets one.
  await scheduleCheck(tx, loaded, null);
}

async function analyze(tx: DbOrTx, sql: Sql, loaded: Loaded, now: number, result: RolloutTickResult) {
  const s = loaded.snapshot;
  const run = await findRun(tx, loaded.row.id, s.attempt, s.stepIndex);
  if (!run) {
    await scheduleCheck(tx, loaded, null);
    return;
  }
  const template = run.template as AnalysisTemplate;
  const byMetric = await measurementsOf(tx, run.id);
  const subject = {
    service: loaded.service,
    environment: loaded.environment,
    canaryVersion: run.canaryVersion,
    stableVersion: run.stableVersion,
  };
  const results = [];
  for (const metric of template.metrics) {
    const list = byMetric.get(metric.name) ?? [];
    const before = evaluateAnalysis(metric, list);
    if (
      before.phase === 'running' &&
      (before.nextMeasurementAt === null || before.nextMeasurementAt <= now)
    ) {
      const reading = await readCanaryAndStable(tx, sql, metric, subject, now);
      const m =
        'error' in reading
          ? { at: now, error: reading.error }
          : measure(metric, reading.canary, reading.stable, now);
      await recordMeasurement(tx, {
        runId: run.id,
        metric: metric.name,
        m,
        canary: 'error' in reading ? null : reading.canary,
        stable: 'error' in reading ? null : reading.stable,
        phase: assessMeasurement(metric, m),
      });
      list.push(m);
      result.measured += 1;
    }
    results.push(evaluateAnalysis(metric, list));
  }
  const phase = analysisRunPhase(results);
  if (phase === 'running') {
    const due = results.flatMap((r) =>
      r.phase === 'running' && r.nextMeasurementAt !== null ? [r.nextMeasurementAt] : [],
    );
    await scheduleCheck(tx, loaded, new Date(due.length ? Math.min(...due) : now));
    return;
  }
  await endRun(tx, loaded.row.id, s.attempt, s.stepIndex, phase, now);
  await applyEvent(
    tx,
    WORKER,
    loaded,
    { type: 'analysisResult', attempt: s.attempt, stepIndex: s.stepIndex, phase },
    now,
  );
  result.advanced += 1;
}
