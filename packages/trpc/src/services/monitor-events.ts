import { type DbOrTx, durationSince, schema } from '@sextant/db';

type Status = (typeof schema.monitorEvents.$inferInsert)['toStatus'];

/** Records a pause or resume as a state change, so paused time is excluded from uptime. */
export async function recordPauseChange(
  tx: DbOrTx,
  monitor: { checkId?: string; heartbeatId?: string; serviceId: string; status: Status; statusSince: Date },
  paused: boolean,
  now: Date,
) {
  await tx.insert(schema.monitorEvents).values({
    checkId: monitor.checkId ?? null,
    heartbeatId: monitor.heartbeatId ?? null,
    serviceId: monitor.serviceId,
    at: now,
    fromStatus: monitor.status,
    toStatus: paused ? 'paused' : 'unknown',
    cause: paused ? 'paused' : 'resumed',
    previousDurationMs: durationSince(monitor.statusSince, now),
  });
}
