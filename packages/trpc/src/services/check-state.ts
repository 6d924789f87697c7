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
  if (run.ok) {
    const successes = state.consecutiveSuccesses + 1;
    const slow =
      t.latencyThresholdMs !== null && run.latencyMs !== null && run.latencyMs > t.latencyThresholdMs;
    const passing: MonitorStatus = slow ? 'degraded' : 'up';
    const recovering = state.status === 'down' || state.status === 'unknown' || state.status === 'paused';
    let status = state.status;
    let cause: string | null = null;
    if (recovering) {
      if (successes >= t.successThreshold) {
        status = passing;
        cause = `${successes} consecutive success${successes === 1 ? '' : 'es'}`;
      }
    } else if (state.status !== passing) {
      status = passing;
      cause = slow
        ? `latency ${Math.round(run.latencyMs ?? 0)} ms over ${t.latencyThresholdMs} ms`
        : 'latency back under threshold';
    }
    return {
      status,
      consecutiveSuccesses: successes,
      consecutiveFailures: 0,
      changed: status !== state.status,
      cause,
    };
  }
  const failures = state.consecutiveFailures + 1;
  let status = state.status;
  let cause: string | null = null;
  if (state.status !== 'down' && failures >= t.failureThreshold) {
    status = 'down';
    cause = `${failures} consecutive failure${failures === 1 ? '' : 's'}: ${run.message ?? 'check failed'}`;
  }
  return {
    status,
    consecutiveFailures: failures,
    consecutiveSuccesses: 0,
    changed: status !== state.status,
    cause,
  };
}
