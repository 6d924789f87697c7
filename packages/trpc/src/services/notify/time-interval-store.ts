/**
 * Owner of `time_intervals` (ARCHITECTURE.md "Who writes which table"). Every write first locks the routing tree's
 * row, as a tree save does, so "no route names it" cannot change between the check and the delete or rename.
 */
import { asc, type DbOrTx, eq, schema } from '@sextant/db';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import type { TimeIntervalInput } from '../../schemas/time-intervals';
import { audit } from '../audit';
import { RouteInputError } from './route-lint';
import { getRouteTree, intervalUsers } from './route-store';

const { timeIntervals } = schema;
type Row = typeof timeIntervals.$inferSelect;

/** At most this many named intervals: each is evaluated at every tick of every route naming it. */
export const MAX_TIME_INTERVALS = 200;

export function listTimeIntervals(db: DbOrTx) {
  return db.select().from(timeIntervals).orderBy(asc(timeIntervals.name));
}

export async function getTimeInterval(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(timeIntervals).where(eq(timeIntervals.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such time interval.', ['id']);
  return row;
}

/** Refuses when a route names the interval, saying which. */
async function refuseIfUsed(tx: DbOrTx, name: string, action: string) {
  const { tree } = await getRouteTree(tx, true);
  const routeId = intervalUsers(tree).get(name);
  if (routeId)
    throw new RouteInputError(
      'INTERVAL_IN_USE',
      `Route "${routeId}" uses time interval "${name}": ${action} it there first.`,
      ['id'],
      'CONFLICT',
    );
}

async function checkNameFree(tx: DbOrTx, name: string, id?: string) {
  const [other] = await tx
    .select({ id: timeIntervals.id })
    .from(timeIntervals)
    .where(eq(timeIntervals.name, name));
  if (other && other.id !== id)
    throw new AppError('CONFLICT', 'A time interval with this name exists.', ['name']);
}

export function createTimeInterval(ctx: ChangeContext, input: TimeIntervalInput) {
  return ctx.db.transaction(async (tx) => {
    await getRouteTree(tx, true);
    const all = await tx.$count(timeIntervals);
    if (all >= MAX_TIME_INTERVALS)
      throw new AppError('VALIDATION_FAILED', `At most ${MAX_TIME_INTERVALS} time intervals.`, ['name']);
    await checkNameFree(tx, input.name);
    const [row] = await tx.insert(timeIntervals).values(input).returning();
    await audit(tx, ctx, {
      action: 'time_interval.create',
      targetType: 'time_interval',
      targetId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** Replaces the specs; a rename is refused while a route names the old name (routes name intervals by name). */
export function updateTimeInterval(ctx: ChangeContext, id: string, input: TimeIntervalInput) {
  return ctx.db.transaction(async (tx) => {
    const before = await getTimeInterval(tx, id);
    if (before.name !== input.name) await refuseIfUsed(tx, before.name, 'rename');
    else await getRouteTree(tx, true);
    await checkNameFree(tx, input.name, id);
    const [after] = await tx
      .update(timeIntervals)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(timeIntervals.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'time_interval.update',
      targetType: 'time_interval',
      targetId: id,
      before,
      after,
    });
    return after!;
  });
}

export function deleteTimeInterval(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getTimeInterval(tx, id);
    await refuseIfUsed(tx, before.name, 'remove');
    await tx.delete(timeIntervals).where(eq(timeIntervals.id, id));
    await audit(tx, ctx, {
      action: 'time_interval.delete',
      targetType: 'time_interval',
      targetId: id,
      before,
    });
    return { id };
  });
}
