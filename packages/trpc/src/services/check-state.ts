import type { MonitorStatus } from '@sextant/db/enums';

export interface CheckState {
  status: MonitorStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export interface Thresholds {
  /** N consecutive failures before DOWN. */
  failureThreshold: number;
  /** M consecutive successes before UP again. */
  successThreshold: number;
  latencyThresholdMs: number | null;
}

export interface RunOutcome {
  ok: boolean;
  latencyMs: number | null;
  message: string | null;
}

export interface Transition extends CheckState {
  changed: boolean;
  /** Why the state changed, for the event log. */
  cause: string | null;
}

/**
 * Confirmation logic: a passing run is DEGRADED when slower than the threshold (still "up" for uptime);
 * DOWN needs N failures in a row, recovery needs M successes in a row.
 */
export function applyRun(state: CheckState, run: RunOutcome, t: Thresholds): Transition {
  const successes = run.ok ? state.consecutiveSuccesses + 1 : 0;
  const failures = run.ok ? 0 : state.consecutiveFailures + 1;
  const next = run.ok
    ? afterPass(state.status, successes, run, t)
    : afterFailure(state.status, failures, run, t);
  return {
    status: next?.status ?? state.status,
    consecutiveSuccesses: successes,
    consecutiveFailures: failures,
    changed: next !== null && next.status !== state.status,
    cause: next?.cause ?? null,
  };
}

type Change = { status: MonitorStatus; cause: string } | null;

function afterPass(status: MonitorStatus, successes: number, run: RunOutcome, t: Thresholds): Change {
  const slow =
    t.latencyThresholdMs !== null && run.latencyMs !== null && run.latencyMs > t.latencyThresholdMs;
  const passing: MonitorStatus = slow ? 'degraded' : 'up';
  if (status === 'down' || status === 'unknown' || status === 'paused') {
    if (successes < t.successThreshold) return null;
    return { status: passing, cause: `${successes} consecutive success${successes === 1 ? '' : 'es'}` };
  }
  if (status === passing) return null;
  return {
    status: passing,
    cause: slow
      ? `latency ${Math.round(run.latencyMs ?? 0)} ms over ${t.latencyThresholdMs} ms`
      : 'latency back under threshold',
  };
}

function afterFailure(status: MonitorStatus, failures: number, run: RunOutcome, t: Thresholds): Change {
  if (status === 'down' || failures < t.failureThreshold) return null;
  return {
    status: 'down',
    cause: `${failures} consecutive failure${failures === 1 ? '' : 's'}: ${run.message ?? 'check failed'}`,
  };
}
