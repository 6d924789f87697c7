/**
 * The one writer of work_items (issue 17). Every write checks its references in the transaction that writes,
 * and audits there; imports (work-item-import.ts) and the deployment writer come through here too.
 */
import {
  type Actor,
  and,
  asc,
  type DbOrTx,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  or,
  schema,
  sql,
  writeAudit,
} from '@sextant/db';
import type { WorkItemStatus } from '@sextant/db/enums';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import { sentFields } from '../../schemas/patch';
import type { WorkItemCreate, WorkItemFields, WorkItemList, WorkItemPatch } from '../../schemas/work-items';
import { audit } from '../audit';
import { getWritableProject } from './common';

const { workItems, milestones, users, projects, releases } = schema;
export type WorkItemRow = typeof workItems.$inferSelect;
type Ctx = ChangeContext;

/** Who completes items when their release reaches production: no person, the deployment writer. */
export const RELEASE_COMPLETION_ACTOR: Actor = {
  type: 'system',
  id: null,
  label: 'release reached production',
};

const isClosed = (s: WorkItemStatus) => s === 'done' || s === 'cancelled';

/** closedAt is when the item last became done or cancelled: kept while it stays closed, cleared on reopening. */
export function closedAtFor(
  before: Pick<WorkItemRow, 'status' | 'closedAt'> | null,
  to: WorkItemStatus,
  at: Date,
) {
  if (!isClosed(to)) return null;
  return before && before.status === to ? before.closedAt : at;
}

export async function getWorkItem(db: DbOrTx, id: string, lock = false) {
  const q = db.select().from(workItems).where(eq(workItems.id, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('NOT_FOUND', 'No such work item.');
  return row;
}

/** The project, or NOT_FOUND; its start date bounds its items' due dates. */
export async function assertProject(db: DbOrTx, projectId: string) {
  const [row] = await db
    .select({ id: projects.id, startDate: projects.startDate, archivedAt: projects.archivedAt })
    .from(projects)
    .where(eq(projects.id, projectId));
  if (!row) throw new AppError('NOT_FOUND', 'No such project.', ['projectId']);
  return row;
}

/** The project locked and writable (getWritableProject), NOT_FOUND on the projectId field as assertProject. */
export async function writableProject(tx: DbOrTx, projectId: string) {
  await assertProject(tx, projectId);
  return getWritableProject(tx, projectId);
}

/**
 * An item to change, with its project locked first (the one lock order: project, then item) and not archived.
 * Items never move between projects, so the unlocked read's projectId stays true.
 */
async function getWritableItem(tx: DbOrTx, id: string) {
  const { projectId } = await getWorkItem(tx, id);
  const project = await getWritableProject(tx, projectId);
  return { project, before: await getWorkItem(tx, id, true) };
}

/** ISO days compare as strings. */
export const dueBeforeStart = (dueDate: string | null, startDate: string) => !!dueDate && dueDate < startDate;

function assertDue(dueDate: string | null, startDate: string) {
  if (dueBeforeStart(dueDate, startDate))
    throw new AppError(
      'WORK_ITEM_DUE_BEFORE_START',
      `An item cannot be due before its project starts (${startDate}).`,
      ['dueDate'],
    );
}

async function assertMilestone(db: DbOrTx, projectId: string, milestoneId: string | null) {
  if (!milestoneId) return;
  const [row] = await db
    .select({ id: milestones.id })
    .from(milestones)
    .where(and(eq(milestones.id, milestoneId), eq(milestones.projectId, projectId)));
  if (!row)
    throw new AppError('WORK_ITEM_MILESTONE_INVALID', 'That milestone is not one of this project.', [
      'milestoneId',
    ]);
}

async function assertAssignee(db: DbOrTx, userId: string | null) {
  if (!userId) return;
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  if (!row)
    throw new AppError('WORK_ITEM_ASSIGNEE_INVALID', 'The assignee must be an enabled user.', [
      'assigneeUserId',
    ]);
}

async function assertRelease(db: DbOrTx, releaseId: string | null) {
  if (!releaseId) return;
  const [row] = await db.select({ id: releases.id }).from(releases).where(eq(releases.id, releaseId));
  if (!row) throw new AppError('WORK_ITEM_RELEASE_INVALID', 'No such release.', ['releaseId']);
}

/**
 * Serialises linking items to a release with that release reaching PRO: without it, a link checked just before a
 * concurrent PRO success commits would leave the item open for good.
 */
const lockRelease = (tx: DbOrTx, releaseId: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`work_items/release/${releaseId}`}, 0))`);

/** Whether a release has reached PRO: a succeeded deployment in a production-marked environment. */
export async function releaseInProduction(db: DbOrTx, releaseId: string): Promise<boolean> {
  const rows = await db.execute<{ one: number }>(sql`
    select 1 as one from deployments d join environments e on e.id = d.environment_id and e.is_production
    where d.release_id = ${releaseId}::uuid and d.state = 'succeeded' limit 1`);
  return rows.length > 0;
}

/** An open item linked to a release already in PRO is done at once, as the deployment would have made it. */
async function settleStatus(db: DbOrTx, f: Pick<WorkItemFields, 'status' | 'releaseId'>, linkedNow: boolean) {
  if (!linkedNow || !f.releaseId || isClosed(f.status)) return f.status;
  await lockRelease(db, f.releaseId);
  if (await releaseInProduction(db, f.releaseId)) return 'done' as const;
  return f.status;
}

/** Inserts one checked item and audits it; the caller holds the transaction. */
async function insertWorkItem(tx: DbOrTx, ctx: Ctx, projectId: string, item: WorkItemFields) {
  assertDue(item.dueDate, (await writableProject(tx, projectId)).startDate);
  await assertMilestone(tx, projectId, item.milestoneId);
  await assertAssignee(tx, item.assigneeUserId);
  await assertRelease(tx, item.releaseId);
  const status = await settleStatus(tx, item, true);
  const at = new Date();
  const [row] = await tx
    .insert(workItems)
    // createdAt from here, in ms: the list's keyset compares it as a JS Date, which has no microseconds.
    .values({
      ...item,
      projectId,
      status,
      closedAt: closedAtFor(null, status, at),
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await audit(tx, ctx, { action: 'workItem.create', targetType: 'work_item', targetId: row!.id, after: row });
  return row!;
}

/** An import's checked items (names already resolved in `tx`), written in chunks and audited as one file. */
export async function insertImportedItems(
  tx: DbOrTx,
  ctx: Ctx,
  projectId: string,
  format: string,
  items: (Omit<WorkItemFields, 'releaseId'> & { externalRef: string | null })[],
) {
  const at = new Date();
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500).map((item) => ({
      ...item,
      projectId,
      closedAt: closedAtFor(null, item.status, at),
      createdAt: at,
      updatedAt: at,
    }));
    const made = await tx.insert(workItems).values(chunk).returning({ id: workItems.id });
    ids.push(...made.map((m) => m.id));
  }
  // One entry for the file: the project, the format and every item made (bounded by importRows).
  await audit(tx, ctx, {
    action: 'workItem.import',
    targetType: 'project',
    targetId: projectId,
    after: { format, created: ids.length, ids },
  });
  return ids;
}

export async function createWorkItem(ctx: Ctx, input: WorkItemCreate) {
  const { projectId, ...fields } = input;
  return ctx.db.transaction(async (tx) => insertWorkItem(tx, ctx, projectId, fields));
}

export async function updateWorkItem(ctx: Ctx, id: string, patch: WorkItemPatch) {
  return ctx.db.transaction(async (tx) => {
    const { project, before } = await getWritableItem(tx, id);
    const next = { ...before, ...sentFields(patch) };
    if (patch.milestoneId !== undefined) await assertMilestone(tx, before.projectId, next.milestoneId);
    if (patch.dueDate !== undefined && next.dueDate !== before.dueDate)
      assertDue(next.dueDate, project.startDate);
    if (patch.assigneeUserId !== undefined && next.assigneeUserId !== before.assigneeUserId)
      await assertAssignee(tx, next.assigneeUserId);
    const linkedNow = patch.releaseId !== undefined && next.releaseId !== before.releaseId;
    if (linkedNow) await assertRelease(tx, next.releaseId);
    const status = await settleStatus(tx, next, linkedNow);
    const at = new Date();
    const [after] = await tx
      .update(workItems)
      .set({
        title: next.title,
        estimate: next.estimate,
        milestoneId: next.milestoneId,
        assigneeUserId: next.assigneeUserId,
        labels: next.labels,
        releaseId: next.releaseId,
        dueDate: next.dueDate,
        status,
        closedAt: closedAtFor(before, status, at),
        updatedAt: at,
      })
      .where(eq(workItems.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'workItem.update',
      targetType: 'work_item',
      targetId: id,
      before,
      after,
    });
    return after!;
  });
}

export async function deleteWorkItem(ctx: Ctx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const { before } = await getWritableItem(tx, id);
    await tx.delete(workItems).where(eq(workItems.id, id));
    await audit(tx, ctx, { action: 'workItem.delete', targetType: 'work_item', targetId: id, before });
    return { id };
  });
}

/** Moves many items of one project to one status; ids of other projects are NOT_FOUND, and nothing moves. */
export async function setWorkItemsStatus(ctx: Ctx, projectId: string, ids: string[], status: WorkItemStatus) {
  const unique = [...new Set(ids)];
  return ctx.db.transaction(async (tx) => {
    await writableProject(tx, projectId);
    const rows = await tx
      .select()
      .from(workItems)
      .where(and(eq(workItems.projectId, projectId), inArray(workItems.id, unique)))
      .orderBy(asc(workItems.id))
      .for('update');
    if (rows.length !== unique.length)
      throw new AppError('NOT_FOUND', 'Some items are not items of this project.', ['ids']);
    const at = new Date();
    let changed = 0;
    for (const before of rows) {
      if (before.status === status) continue;
      const closedAt = closedAtFor(before, status, at);
      await tx.update(workItems).set({ status, closedAt, updatedAt: at }).where(eq(workItems.id, before.id));
      await audit(tx, ctx, {
        action: 'workItem.update',
        targetType: 'work_item',
        targetId: before.id,
        before: { status: before.status, closedAt: before.closedAt },
        after: { status, closedAt },
      });
      changed++;
    }
    return { changed };
  });
}

/**
 * A release reached PRO: its open items become done at `at`, audited as the system. Called by the deployment
 * writer in the transaction that writes the success, so the item and the deployment change together. Items of
 * archived projects stay as they are (an archived project is frozen); the filter takes no project lock, so the
 * deployment never waits on, nor deadlocks with, a project writer (they lock project, item, then the release).
 */
export async function completeItemsOfRelease(tx: DbOrTx, releaseId: string, at: Date) {
  await lockRelease(tx, releaseId);
  // Row locks in id order, as the bulk status change takes them: an UPDATE alone locks in scan order (deadlock).
  await tx
    .select({ id: workItems.id })
    .from(workItems)
    .where(and(eq(workItems.releaseId, releaseId), inArray(workItems.status, ['todo', 'in_progress'])))
    .orderBy(asc(workItems.id))
    .for('update');
  const done = await tx
    .update(workItems)
    .set({ status: 'done', closedAt: at, updatedAt: at })
    .where(
      and(
        eq(workItems.releaseId, releaseId),
        inArray(workItems.status, ['todo', 'in_progress']),
        sql`exists (select 1 from ${projects} where ${projects.id} = ${workItems.projectId} and ${projects.archivedAt} is null)`,
      ),
    )
    .returning({
      id: workItems.id,
      projectId: workItems.projectId,
      releaseId: workItems.releaseId,
      closedAt: workItems.closedAt,
    });
  await auditReleaseDone(tx, done);
  return done;
}

/** Items a release's arrival in PRO completed, audited as the system. */
async function auditReleaseDone(
  tx: DbOrTx,
  items: { id: string; releaseId: string | null; closedAt: Date | null }[],
) {
  for (const item of items)
    await writeAudit(tx, {
      actor: RELEASE_COMPLETION_ACTOR,
      action: 'workItem.releaseDone',
      targetType: 'work_item',
      targetId: item.id,
      after: { status: 'done', releaseId: item.releaseId, closedAt: item.closedAt },
    });
}

/**
 * An unarchived project catches up with the releases that reached PRO while it was frozen: their open items are done
 * as of the first production success, audited as the system, as the deployment writer would have done then.
 */
export async function completeItemsReleasedWhileArchived(tx: DbOrTx, projectId: string) {
  const { deployments, environments } = schema;
  const open = and(eq(workItems.projectId, projectId), inArray(workItems.status, ['todo', 'in_progress']));
  // Row locks in id order, as every other bulk item write takes them.
  await tx.select({ id: workItems.id }).from(workItems).where(open).orderBy(asc(workItems.id)).for('update');
  const reached = tx
    .select({ releaseId: deployments.releaseId, at: sql<Date>`min(${deployments.finishedAt})`.as('at') })
    .from(deployments)
    .innerJoin(
      environments,
      and(eq(environments.id, deployments.environmentId), eq(environments.isProduction, true)),
    )
    .where(
      and(
        eq(deployments.state, 'succeeded'),
        isNotNull(deployments.finishedAt),
        // Only the releases this project's open items wait for, not every deployment ever made.
        inArray(deployments.releaseId, tx.select({ id: workItems.releaseId }).from(workItems).where(open)),
      ),
    )
    .groupBy(deployments.releaseId)
    .as('reached');
  const done = await tx
    .update(workItems)
    .set({ status: 'done', closedAt: sql`${reached.at}`, updatedAt: new Date() })
    .from(reached)
    .where(and(open, eq(workItems.releaseId, reached.releaseId)))
    .returning({ id: workItems.id, releaseId: workItems.releaseId, closedAt: workItems.closedAt });
  await auditReleaseDone(tx, done);
  return done;
}

/** A deployment just succeeded: when its environment is production, its release's items are done. */
export async function deploymentReachedSuccess(tx: DbOrTx, deploymentId: string, at: Date) {
  const [row] = await tx.execute<{ release_id: string }>(sql`
    select d.release_id from deployments d join environments e on e.id = d.environment_id and e.is_production
    where d.id = ${deploymentId}::uuid`);
  if (row) await completeItemsOfRelease(tx, row.release_id, at);
}

/** One page of a project's items, oldest first, keyset-paged on (createdAt, id). */
export async function listWorkItems(db: DbOrTx, f: WorkItemList) {
  const after = f.cursor
    ? (await db.select().from(workItems).where(eq(workItems.id, f.cursor)).limit(1))[0]
    : undefined;
  if (f.cursor && !after) throw new AppError('NOT_FOUND', 'The cursor names no item.', ['cursor']);
  // The linked release's version and service come with each row, so a page of items is one read.
  const rows = await db
    .select({
      ...getTableColumns(workItems),
      release: sql<{ version: string; service: string } | null>`case when ${releases.id} is null then null
        else json_build_object('version', ${releases.version}, 'service', ${schema.services.name}) end`,
    })
    .from(workItems)
    .leftJoin(releases, eq(releases.id, workItems.releaseId))
    .leftJoin(schema.services, eq(schema.services.id, releases.serviceId))
    .where(
      and(
        eq(workItems.projectId, f.projectId),
        f.status?.length ? inArray(workItems.status, f.status) : undefined,
        f.milestoneId === null
          ? isNull(workItems.milestoneId)
          : f.milestoneId
            ? eq(workItems.milestoneId, f.milestoneId)
            : undefined,
        f.assigneeUserId === null
          ? isNull(workItems.assigneeUserId)
          : f.assigneeUserId
            ? eq(workItems.assigneeUserId, f.assigneeUserId)
            : undefined,
        f.label ? sql`${workItems.labels} @> array[${f.label}]::text[]` : undefined,
        after
          ? or(
              gt(workItems.createdAt, after.createdAt),
              and(eq(workItems.createdAt, after.createdAt), gt(workItems.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(workItems.createdAt), asc(workItems.id))
    .limit(f.limit + 1);
  const items = rows.slice(0, f.limit);
  return { items, nextCursor: rows.length > f.limit ? items.at(-1)!.id : null };
}
