import { type DbOrTx, eq, nextSlot, phaseOffsetMs, schema } from '@sextant/db';
import { AppError } from '../errors';

/** Epoch-aligned slots with a stable per-row offset, so scheduled rows spread out and keep their phase. */
export function firstSlot(id: string, intervalSeconds: number) {
  const offset = phaseOffsetMs(id, intervalSeconds);
  return { phaseOffsetMs: offset, nextRunAt: new Date(nextSlot(Date.now(), intervalSeconds, offset)) };
}

/** Scheduled work is always tied to a real environment; a stale id is the caller's mistake, not a 500. */
export async function assertEnvironment(db: DbOrTx, id: string) {
  const [env] = await db
    .select({ id: schema.environments.id })
    .from(schema.environments)
    .where(eq(schema.environments.id, id))
    .limit(1);
  if (!env) throw new AppError('VALIDATION_FAILED', 'No such environment.');
}
