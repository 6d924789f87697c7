import { and, asc, type DbOrTx, desc, eq, isNull, schema, sql } from '@sextant/db';
import type { ProjectHealth } from '@sextant/db/enums';
import type { ChangeContext, Identity } from '../../context';
import { AppError } from '../../errors';
import { PROJECT_LIMITS } from '../../limits';
import type { ProjectInput, ProjectPatch } from '../../schemas/projects';
import { audit, deleteAudited } from '../audit';
import {
  actorUserId,
  assertDueAfterStart,
  assertNameFree,
  assertServices,
  assertUsers,
  getProject,
  getWritableProject,
  type ProjectRow,
} from './common';
import { completeItemsReleasedWhileArchived } from './work-items';

const {
  projects,
  projectMembers,
  projectSubscribers,
  projectServices,
  projectUpdates,
  milestones,
  users,
  workItems,
} = schema;
type Ctx = ChangeContext & { identity: Identity };

/** A person's display name (the name, else the email), as incidents show people. */
const displayName = sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`;
const ownerCols = { ownerName: displayName };

/** Projects by name, with their owner's name; archived ones only when asked. */
export async function listProjects(db: DbOrTx, includeArchived: boolean) {
  const rows = await db
    .select({ project: projects, ...ownerCols })
    .from(projects)
    .leftJoin(users, eq(users.id, projects.ownerUserId))
    .where(includeArchived ? undefined : isNull(projects.archivedAt))
    .orderBy(asc(sql`lower(${projects.name})`))
    .limit(PROJECT_LIMITS.listSize);
  return rows.map((r) => ({ ...r.project, ownerName: r.ownerName }));
}

/** One project with owner, members, linked services and whether the caller subscribes to its digest. */
export async function getProjectDetail(db: DbOrTx, id: string, viewer: Identity) {
  const [row] = await db
    .select({ project: projects, ...ownerCols })
    .from(projects)
    .leftJoin(users, eq(users.id, projects.ownerUserId))
    .where(eq(projects.id, id))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such project.');
  const [members, linked, subscribed] = await Promise.all([
    db
      .select({
        userId: projectMembers.userId,
        digest: projectMembers.digest,
        name: displayName,
      })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(eq(projectMembers.projectId, id))
      .orderBy(asc(displayName)),
    db
      .select({ id: schema.services.id, slug: schema.services.slug, name: schema.services.name })
      .from(projectServices)
      .innerJoin(schema.services, eq(schema.services.id, projectServices.serviceId))
      .where(eq(projectServices.projectId, id))
      .orderBy(asc(schema.services.name)),
    db
      .select({ userId: projectSubscribers.userId })
      .from(projectSubscribers)
      .where(and(eq(projectSubscribers.projectId, id), eq(projectSubscribers.userId, actorUserId(viewer)))),
  ]);
  return {
    ...row.project,
    ownerName: row.ownerName,
    members,
    services: linked,
    subscribed: subscribed.length > 0,
  };
}

const auditedProjects = { type: 'project', get: getProject, show: (r: ProjectRow) => r };

function assertTarget(startDate: string, targetDate: string | null | undefined) {
  if (targetDate && targetDate < startDate) {
    throw new AppError(
      'PROJECT_TARGET_BEFORE_START',
      `The target date ${targetDate} is before the start ${startDate}.`,
      ['targetDate'],
    );
  }
}

export async function createProject(ctx: Ctx, input: ProjectInput) {
  assertTarget(input.startDate, input.targetDate);
  return ctx.db.transaction(async (tx) => {
    await assertNameFree(tx, projects, undefined, input.name, null, 'PROJECT_NAME_TAKEN');
    if (input.ownerUserId) await assertUsers(tx, [input.ownerUserId], 'ownerUserId');
    const [row] = await tx.insert(projects).values(input).returning();
    await audit(tx, ctx, { action: 'project.create', targetType: 'project', targetId: row!.id, after: row });
    return row!;
  });
}

/** The weekly digest is a mail: only an existing email integration carries it. */
async function assertDigestIntegration(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ kind: schema.receiverIntegrations.kind })
    .from(schema.receiverIntegrations)
    .where(eq(schema.receiverIntegrations.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'No such integration.', ['digestIntegrationId']);
  if (row.kind !== 'email')
    throw new AppError(
      'PROJECT_DIGEST_NOT_EMAIL',
      `The digest is a mail; a ${row.kind} integration cannot send it.`,
      ['digestIntegrationId'],
    );
}

export async function updateProject(ctx: Ctx, id: string, patch: ProjectPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await getWritableProject(tx, id);
    const next = { ...before, ...patch };
    assertTarget(next.startDate, next.targetDate);
    if (patch.name !== undefined)
      await assertNameFree(tx, projects, undefined, patch.name, id, 'PROJECT_NAME_TAKEN');
    if (patch.ownerUserId) await assertUsers(tx, [patch.ownerUserId], 'ownerUserId');
    if (patch.digestIntegrationId) await assertDigestIntegration(tx, patch.digestIntegrationId);
    if (patch.startDate && patch.startDate > before.startDate) {
      // A later start must not leave a milestone or a work item due before it.
      const [first] = await tx.execute<{ milestone: string | null; item: string | null }>(sql`
        select (select min(${milestones.dueDate}) from ${milestones} where ${milestones.projectId} = ${id})::text
            as milestone,
          (select min(${workItems.dueDate}) from ${workItems} where ${workItems.projectId} = ${id})::text as item`);
      assertDueAfterStart(first?.milestone, patch.startDate, 'startDate');
      if (first?.item && first.item < patch.startDate)
        throw new AppError(
          'WORK_ITEM_DUE_BEFORE_START',
          `A work item is due ${first.item}, before the new start (${patch.startDate}).`,
          ['startDate'],
        );
    }
    const [after] = await tx
      .update(projects)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(projects.id, id))
      .returning();
    await audit(tx, ctx, { action: 'project.update', targetType: 'project', targetId: id, before, after });
    return after!;
  });
}

/** Archiving hides a project from the default list and keeps everything; a no-op when it already is. */
export async function setProjectArchived(ctx: Ctx, id: string, archived: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await getProject(tx, id, true);
    if ((before.archivedAt !== null) === archived) return before;
    const [after] = await tx
      .update(projects)
      .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(eq(projects.id, id))
      .returning();
    const action = archived ? 'project.archive' : 'project.unarchive';
    await audit(tx, ctx, { action, targetType: 'project', targetId: id });
    if (!archived) await completeItemsReleasedWhileArchived(tx, id);
    return after!;
  });
}

/** Cascades to milestones, items, snapshots, updates, links; the audit keeps the row as it was. */
export function deleteProject(ctx: Ctx, id: string) {
  return deleteAudited(ctx, auditedProjects, id, (tx) => tx.delete(projects).where(eq(projects.id, id)));
}

const membersOf = (db: DbOrTx, projectId: string) =>
  db
    .select({ userId: projectMembers.userId, digest: projectMembers.digest })
    .from(projectMembers)
    .where(eq(projectMembers.projectId, projectId))
    .orderBy(asc(projectMembers.userId));

type Member = { userId: string; digest: boolean };

/** Replaces the member list as a whole (the console's member editor sends all of it). */
export async function setProjectMembers(ctx: Ctx, projectId: string, members: Member[]) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, projectId);
    await assertUsers(
      tx,
      members.map((m) => m.userId),
      'members',
    );
    const before = await membersOf(tx, projectId);
    await tx.delete(projectMembers).where(eq(projectMembers.projectId, projectId));
    if (members.length > 0) await tx.insert(projectMembers).values(members.map((m) => ({ projectId, ...m })));
    const after = await membersOf(tx, projectId);
    await audit(tx, ctx, {
      action: 'project.members',
      targetType: 'project',
      targetId: projectId,
      before,
      after,
    });
    return after;
  });
}

/** Adds one member, or changes an existing member's digest flag. */
export async function addProjectMember(ctx: Ctx, projectId: string, member: Member) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, projectId);
    await assertUsers(tx, [member.userId], 'userId');
    const count = (await membersOf(tx, projectId)).length;
    const known = await tx
      .select({ userId: projectMembers.userId })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, member.userId)));
    if (known.length === 0 && count >= PROJECT_LIMITS.members) {
      throw new AppError('VALIDATION_FAILED', `A project has at most ${PROJECT_LIMITS.members} members.`);
    }
    await tx
      .insert(projectMembers)
      .values({ projectId, ...member })
      .onConflictDoUpdate({
        target: [projectMembers.projectId, projectMembers.userId],
        set: { digest: member.digest },
      });
    await audit(tx, ctx, {
      action: 'project.member_add',
      targetType: 'project',
      targetId: projectId,
      after: member,
    });
    return membersOf(tx, projectId);
  });
}

export async function removeProjectMember(ctx: Ctx, projectId: string, userId: string) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, projectId);
    const gone = await tx
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
      .returning();
    if (gone.length === 0) throw new AppError('NOT_FOUND', 'Not a member of this project.', ['userId']);
    await audit(tx, ctx, {
      action: 'project.member_remove',
      targetType: 'project',
      targetId: projectId,
      before: gone[0],
    });
    return membersOf(tx, projectId);
  });
}

/** Replaces the linked services as a whole. */
export async function setProjectServices(ctx: Ctx, projectId: string, serviceIds: string[]) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, projectId);
    await assertServices(tx, serviceIds);
    const linked = () =>
      tx
        .select({ serviceId: projectServices.serviceId })
        .from(projectServices)
        .where(eq(projectServices.projectId, projectId))
        .then((rows) => rows.map((r) => r.serviceId).sort());
    const before = await linked();
    await tx.delete(projectServices).where(eq(projectServices.projectId, projectId));
    if (serviceIds.length > 0)
      await tx.insert(projectServices).values(serviceIds.map((serviceId) => ({ projectId, serviceId })));
    const after = await linked();
    await audit(tx, ctx, {
      action: 'project.services',
      targetType: 'project',
      targetId: projectId,
      before,
      after,
    });
    return after;
  });
}

/**
 * The caller (themselves only) asks for, or stops, the weekly digest; repeating is a no-op. Allowed on archived
 * projects: a reader's own preference, not a change to the project (the digest skips archived projects anyway).
 */
export async function setProjectSubscribed(ctx: Ctx, projectId: string, subscribed: boolean) {
  const userId = actorUserId(ctx.identity);
  return ctx.db.transaction(async (tx) => {
    await getProject(tx, projectId);
    const changed = subscribed
      ? await tx.insert(projectSubscribers).values({ projectId, userId }).onConflictDoNothing().returning()
      : await tx
          .delete(projectSubscribers)
          .where(and(eq(projectSubscribers.projectId, projectId), eq(projectSubscribers.userId, userId)))
          .returning();
    if (changed.length > 0) {
      const action = subscribed ? 'project.subscribe' : 'project.unsubscribe';
      await audit(tx, ctx, { action, targetType: 'project', targetId: projectId, after: { userId } });
    }
    return { subscribed };
  });
}

/** The owner's dated note, with the health they state (optional); the computed health stays separate. */
export async function addProjectUpdate(
  ctx: Ctx,
  input: { projectId: string; note: string; health?: ProjectHealth | null },
) {
  return ctx.db.transaction(async (tx) => {
    await getWritableProject(tx, input.projectId);
    const [row] = await tx
      .insert(projectUpdates)
      .values({
        projectId: input.projectId,
        note: input.note,
        health: input.health ?? null,
        authorUserId: actorUserId(ctx.identity),
      })
      .returning();
    await audit(tx, ctx, {
      action: 'project.note',
      targetType: 'project',
      targetId: input.projectId,
      after: row,
    });
    return row!;
  });
}

export async function listProjectUpdates(db: DbOrTx, projectId: string, limit: number) {
  await getProject(db, projectId);
  return db
    .select({
      id: projectUpdates.id,
      health: projectUpdates.health,
      note: projectUpdates.note,
      createdAt: projectUpdates.createdAt,
      authorUserId: projectUpdates.authorUserId,
      authorName: displayName,
    })
    .from(projectUpdates)
    .leftJoin(users, eq(users.id, projectUpdates.authorUserId))
    .where(eq(projectUpdates.projectId, projectId))
    .orderBy(desc(projectUpdates.createdAt), desc(projectUpdates.id))
    .limit(limit);
}
