import { type DbOrTx, eq, nextSlot, phaseOffsetMs, type Sql, schema } from '@sextant/db';
import { AppError } from '../errors';

/** Epoch-aligned slots with a stable per-row offset, so scheduled rows spread out and keep their phase. */
export function firstSlot(id: string, intervalSeconds: number) {
  const offset = phaseOffsetMs(id, intervalSeconds);
  return { phaseOffsetMs: offset, nextRunAt: new Date(nextSlot(Date.now(), intervalSeconds, offset)) };
}

/** A new scheduled row's id and first slot, with its service and settings. */
export function newScheduledRow<T extends { intervalSeconds: number }>(serviceId: string, values: T) {
  const id = crypto.randomUUID();
  return { id, serviceId, ...values, ...firstSlot(id, values.intervalSeconds) };
}

/** A changed interval starts a new phase; otherwise the row keeps its slot. */
export function slotAfterEdit(
  id: string,
  before: { intervalSeconds: number },
  after: { intervalSeconds: number },
) {
  return before.intervalSeconds !== after.intervalSeconds ? firstSlot(id, after.intervalSeconds) : {};
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

/**
 * The rows a claim of `table` (checks, scrape targets) may take: unpaused, due and not leased, oldest slot first,
 * locked so concurrent claimers skip them. The owner's `update … from due` then leases them with `leaseTo`.
 */
export function dueRows(sql: Sql, table: 'checks' | 'scrape_targets', limit: number) {
  return sql`
    select id from ${sql(table)}
    where not paused and next_run_at <= now() and (lease_until is null or lease_until < now())
    order by next_run_at
    limit ${limit}
    for update skip locked`;
}

/** Leases a claimed row to `instance` for its timeout plus a margin: each slot runs once; a lapsed lease frees it. */
export function leaseTo(sql: Sql, instance: string, leaseMarginMs: number) {
  return sql`lease_owner = ${instance},
    lease_until = now() + make_interval(secs => (timeout_ms + ${leaseMarginMs}) / 1000.0)`;
}
