import { and, asc, count, type DbOrTx, eq, schema, sql } from '@sextant/db';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import { PROJECT_LIMITS } from '../../limits';
import type { MilestoneInput, MilestonePatch } from '../../schemas/projects';
import { audit, deleteAudited } from '../audit';
import { assertDueAfterStart, assertNameFree, getProject, getWritableProject } from './common';

const { milestones } = schema;
type Row = typeof milestones.$inferSelect;

async function getMilestone(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(milestones).where(eq(milestones.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such milestone.');
  return row;
}

const inProject = (projectId: string) => eq(milestones.projectId, projectId);

/** A project's milestones in their order. */
export async function listMilestones(db: DbOrTx, projectId: string) {
  await getProject(db, projectId);
  return db
    .select()
    .from(milestones)
    .where(inProject(projectId))
    .orderBy(asc(milestones.position), asc(milestones.createdAt));
}

/** Appended after the last milestone; the project row is held so its start date cannot move meanwhile. */
export async function createMilestone(ctx: ChangeContext, projectId: string, input: MilestoneInput) {
  return ctx.db.transaction(async (tx) => {
    const project = await getWritableProject(tx, projectId);
    assertDueAfterStart(input.dueDate, project.startDate, 'dueDate');
    await assertNameFree(tx, milestones, inProject(projectId), input.name, null, 'MILESTONE_NAME_TAKEN');
    const [{ n, last } = { n: 0, last: null }] = await tx
      .select({ n: count(), last: sql<number | null>`max(${milestones.position})` })
      .from(milestones)
      .where(inProject(projectId));
    if (n >= PROJECT_LIMITS.milestones) {
      throw new AppError('MILESTONE_LIMIT', `A project has at most ${PROJECT_LIMITS.milestones} milestones.`);
    }
    const [row] = await tx
      .insert(milestones)
      .values({ ...input, projectId, position: last === null ? 0 : last + 1 })
      .returning();
    await audit(tx, ctx, {
      action: 'milestone.create',
      targetType: 'milestone',
      targetId: row!.id,
      after: row,
    });
    return row!;
  });
}

export async function updateMilestone(ctx: ChangeContext, id: string, patch: MilestonePatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getMilestone(tx, id);
    const project = await getWritableProject(tx, before.projectId);
    if (patch.dueDate !== undefined) assertDueAfterStart(patch.dueDate, project.startDate, 'dueDate');
    if (patch.name !== undefined) {
      await assertNameFree(tx, milestones, inProject(project.id), patch.name, id, 'MILESTONE_NAME_TAKEN');
    }
    const [after] = await tx
      .update(milestones)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(milestones.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'milestone.update',
      targetType: 'milestone',
      targetId: id,
      before,
      after,
    });
    return after!;
  });
}

/** `ids` must name each of the project's milestones exactly once; positions become 0..n-1 in that order. */
export async function reorderMilestones(ctx: ChangeContext, projectId: string, ids: string[]) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, projectId);
    const current = await tx
      .select({ id: milestones.id })
      .from(milestones)
      .where(inProject(projectId))
      .orderBy(asc(milestones.position), asc(milestones.createdAt));
    const known = new Set(current.map((m) => m.id));
    if (ids.length !== known.size || ids.some((id) => !known.has(id))) {
      throw new AppError('MILESTONE_ORDER_MISMATCH', "List each of the project's milestones exactly once.", [
        'ids',
      ]);
    }
    for (const [position, id] of ids.entries()) {
      await tx
        .update(milestones)
        .set({ position })
        .where(and(eq(milestones.id, id), inProject(projectId)));
    }
    await audit(tx, ctx, {
      action: 'milestone.reorder',
      targetType: 'project',
      targetId: projectId,
      before: current.map((m) => m.id),
      after: ids,
    });
    return listMilestones(tx, projectId);
  });
}

/** Deleting is a write to the project: its row is locked and must not be archived. */
async function getDeletableMilestone(tx: DbOrTx, id: string): Promise<Row> {
  const row = await getMilestone(tx, id);
  await getWritableProject(tx, row.projectId);
  return row;
}

const auditedMilestones = { type: 'milestone', get: getDeletableMilestone, show: (r: Row) => r };

/** Its work items stay in the project, without a milestone (the foreign key sets null). */
export function deleteMilestone(ctx: ChangeContext, id: string) {
  return deleteAudited(ctx, auditedMilestones, id, (tx) =>
    tx.delete(milestones).where(eq(milestones.id, id)),
  );
}
