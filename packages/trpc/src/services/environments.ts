import { asc, eq, schema, sql } from '@sextant/db';
import type { ChangeContext, Context } from '../context';
import { AppError } from '../errors';
import { audit } from './audit';
import { environmentProductionChanged } from './commit-first-deploys';

const { environments } = schema;

/** Deployment environments in order; needs the database, so it fails fast with DB_UNAVAILABLE when it is down. */
export async function listEnvironments(ctx: Pick<Context, 'db'>) {
  return ctx.db.query.environments.findMany({ orderBy: (e, { asc }) => [asc(e.position)] });
}

export async function createEnvironment(ctx: ChangeContext, input: { name: string; isProduction: boolean }) {
  return ctx.db.transaction(async (tx) => {
    const [{ next } = { next: 0 }] = await tx
      .select({ next: sql<number>`coalesce(max(${environments.position}) + 1, 0)::int` })
      .from(environments);
    const [row] = await tx
      .insert(environments)
      .values({ ...input, position: next })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('CONFLICT', 'An environment with that name already exists.', ['name']);
    await audit(tx, ctx, {
      action: 'environment.create',
      targetType: 'environment',
      targetId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateEnvironment(
  ctx: ChangeContext,
  input: { id: string; name?: string; isProduction?: boolean; requiresApproval?: boolean },
) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(environments).where(eq(environments.id, input.id)).limit(1);
    if (!before) throw new AppError('NOT_FOUND', 'No such environment.');
    const [after] = await tx
      .update(environments)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.isProduction !== undefined ? { isProduction: input.isProduction } : {}),
        ...(input.requiresApproval !== undefined ? { requiresApproval: input.requiresApproval } : {}),
      })
      .where(eq(environments.id, input.id))
      .returning();
    if (after && after.isProduction !== before.isProduction) await environmentProductionChanged(tx);
    await audit(tx, ctx, {
      action: 'environment.update',
      targetType: 'environment',
      targetId: input.id,
      before,
      after,
    });
    return after!;
  });
}

/** Sets the promotion order; the list must name every environment exactly once. */
export async function reorderEnvironments(ctx: ChangeContext, ids: string[]) {
  return ctx.db.transaction(async (tx) => {
    const current = await tx.select().from(environments).orderBy(asc(environments.position));
    if (
      new Set(ids).size !== ids.length ||
      ids.length !== current.length ||
      current.some((e) => !ids.includes(e.id))
    ) {
      throw new AppError('VALIDATION_FAILED', 'List every environment exactly once.');
    }
    for (const [position, id] of ids.entries()) {
      await tx.update(environments).set({ position }).where(eq(environments.id, id));
    }
    await audit(tx, ctx, {
      action: 'environment.reorder',
      targetType: 'environment',
      before: { order: current.map((e) => e.name) },
      after: { order: ids.map((id) => current.find((e) => e.id === id)!.name) },
    });
    return tx.select().from(environments).orderBy(asc(environments.position));
  });
}
