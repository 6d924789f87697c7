import type { Sql } from '@sextant/db';
import { followingSlot, insertStateChange } from '@sextant/db';
import type { HttpConfig, TcpConfig } from '@sextant/db/check-config';
import type { MonitorStatus } from '@sextant/db/enums';
import type { ProbeResult } from './probe';
import { applyRun } from './state';

export type ClaimedCheck = {
  id: string;
  serviceId: string;
  timeoutMs: number;
  intervalSeconds: number;
  phaseOffsetMs: number;
  nextRunAt: Date;
} & ({ kind: 'http'; config: HttpConfig } | { kind: 'tcp'; config: TcpConfig });

interface LockedRow {
  status: MonitorStatus;
  status_since: Date;
  consecutive_failures: number;
  consecutive_successes: number;
  failure_threshold: number;
  success_threshold: number;
  latency_threshold_ms: number | null;
  paused: boolean;
  interval_seconds: number;
  phase_offset_ms: number;
}

/**
 * Stores one run and moves the check's state and schedule, in one transaction. The result's
 * (check, slot) key is unique, so a slot that somehow ran twice is stored once.
 */
export async function recordRun(
  sql: Sql,
  check: ClaimedCheck,
  result: ProbeResult,
  startedAt: Date,
  instance: string,
): Promise<{ changed: boolean; status: MonitorStatus } | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx<LockedRow[]>`
      select status, status_since, consecutive_failures, consecutive_successes, failure_threshold,
             success_threshold, latency_threshold_ms, paused, interval_seconds, phase_offset_ms
      from checks where id = ${check.id} for update`;
    if (!row) return null; // deleted while running
    const degraded =
      result.ok && row.latency_threshold_ms !== null && (result.latencyMs ?? 0) > row.latency_threshold_ms;
    const inserted = await tx`
      insert into check_results (check_id, scheduled_at, started_at, ok, degraded, latency_ms, http_status, error_class, message, instance)
      values (${check.id}, ${check.nextRunAt}, ${startedAt}, ${result.ok}, ${degraded}, ${result.latencyMs},
              ${result.httpStatus}, ${result.errorClass}, ${result.message}, ${instance})
      on conflict (check_id, scheduled_at) do nothing returning id`;
    const now = Date.now();
    const next = new Date(
      followingSlot(check.nextRunAt.getTime(), now, row.interval_seconds, row.phase_offset_ms),
    );
    if (inserted.length === 0 || row.paused) {
      await tx`update checks set next_run_at = ${next}, lease_owner = null, lease_until = null where id = ${check.id}`;
      return { changed: false, status: row.status };
    }
    const t = applyRun(
      {
        status: row.status,
        consecutiveFailures: row.consecutive_failures,
        consecutiveSuccesses: row.consecutive_successes,
      },
      { ok: result.ok, latencyMs: result.latencyMs, message: result.message },
      {
        failureThreshold: row.failure_threshold,
        successThreshold: row.success_threshold,
        latencyThresholdMs: row.latency_threshold_ms,
      },
    );
    await tx`
      update checks set
        status = ${t.status},
        status_since = ${t.changed ? new Date(now) : row.status_since},
        consecutive_failures = ${t.consecutiveFailures},
        consecutive_successes = ${t.consecutiveSuccesses},
        last_run_at = ${startedAt},
        last_latency_ms = ${result.latencyMs},
        last_error = ${result.ok ? null : result.message},
        tls_expires_at = coalesce(${result.tlsExpiresAt}, tls_expires_at),
        next_run_at = ${next},
        lease_owner = null,
        lease_until = null
      where id = ${check.id}`;
    if (t.changed) {
      await insertStateChange(tx as unknown as Sql, {
        checkId: check.id,
        serviceId: check.serviceId,
        at: new Date(now),
        from: row.status,
        to: t.status,
        cause: t.cause,
        since: row.status_since,
      });
    }
    return { changed: t.changed, status: t.status };
  });
}
