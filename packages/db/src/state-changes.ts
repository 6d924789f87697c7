import type { Sql } from './client';
import type { MonitorStatus } from './enums';

/** How long the previous state lasted, clamped to the integer column. */
export function durationSince(since: Date, now: Date): number {
  return Math.min(2_147_483_647, Math.max(0, now.getTime() - since.getTime()));
}

/** One row in monitor_events for a check or heartbeat that changed state; pass the run's transaction. */
export async function insertStateChange(
  tx: Sql,
  e: {
    checkId?: string;
    heartbeatId?: string;
    serviceId: string;
    at: Date;
    from: MonitorStatus;
    to: MonitorStatus;
    cause: string | null;
    since: Date;
  },
) {
  await tx`
    insert into monitor_events (check_id, heartbeat_id, service_id, at, from_status, to_status, cause, previous_duration_ms)
    values (${e.checkId ?? null}, ${e.heartbeatId ?? null}, ${e.serviceId}, ${e.at}, ${e.from}, ${e.to}, ${e.cause},
            ${durationSince(e.since, e.at)})`;
}
