import { insertRows, schema, type Writer } from '@sextant/db';

type Status = (typeof schema.monitorEvents.$inferInsert)['toStatus'];

/** A check or heartbeat that changed state, for the event log that uptime is computed from. */
export interface StateChange {
  checkId?: string;
  heartbeatId?: string;
  serviceId: string;
  at: Date;
  from: Status;
  to: Status;
  cause: string | null;
  /** When the previous state began. */
  since: Date;
}

/** How long the previous state lasted, clamped to the integer column. */
export function durationSince(since: Date, now: Date): number {
  return Math.min(2_147_483_647, Math.max(0, now.getTime() - since.getTime()));
}

/** The one writer of monitor_events; pass the transaction that moved the monitor's state. */
export function recordStateChanges(tx: Writer, changes: StateChange[]) {
  return insertRows(
    tx,
    schema.monitorEvents,
    changes.map((e) => ({
      checkId: e.checkId ?? null,
      heartbeatId: e.heartbeatId ?? null,
      serviceId: e.serviceId,
      at: e.at,
      fromStatus: e.from,
      toStatus: e.to,
      cause: e.cause,
      previousDurationMs: durationSince(e.since, e.at),
    })),
  );
}

/** Records a pause or resume as a state change, so paused time is excluded from uptime. */
/** The columns a pause or resume sets on a check or heartbeat, next to the event recordPauseChange writes. */
export function pausedState(paused: boolean, now: Date) {
  const status: Status = paused ? 'paused' : 'unknown';
  return { paused, status, statusSince: now, updatedAt: now };
}

export function recordPauseChange(
  tx: Writer,
  monitor: { checkId?: string; heartbeatId?: string; serviceId: string; status: Status; statusSince: Date },
  paused: boolean,
  now: Date,
) {
  return recordStateChanges(tx, [
    {
      checkId: monitor.checkId,
      heartbeatId: monitor.heartbeatId,
      serviceId: monitor.serviceId,
      at: now,
      from: monitor.status,
      to: paused ? 'paused' : 'unknown',
      cause: paused ? 'paused' : 'resumed',
      since: monitor.statusSince,
    },
  ]);
}
