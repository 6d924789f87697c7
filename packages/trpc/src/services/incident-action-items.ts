/** A postmortem's action items: the one writer of incident_action_items. */
import { asc, type DbOrTx, eq, schema, sql } from '@sextant/db';
import type { ChangeContext } from '../context';
import { AppError } from '../errors';
import { INCIDENT_LIMITS } from '../limits';
import type { IncidentActionItemAddInput, IncidentActionItemPatch } from '../schemas/incidents';
import { audit } from './audit';
import { assertEnabledUser } from './users';

const { incidents, incidentActionItems: items, users } = schema;
type Item = typeof items.$inferSelect;

/** What the audit log keeps of an item. */
const audited = (i: Item) => ({
  actionItemId: i.id,
  title: i.title,
  ownerId: i.ownerId,
  dueOn: i.dueOn,
  doneAt: i.doneAt,
});

/** Locks the incident, so two adds cannot both take the last slot or the same position. */
async function lockIncident(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({ id: incidents.id })
    .from(incidents)
    .where(eq(incidents.id, id))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', 'No such incident.', ['incidentId']);
}

/** An owner must be an existing, enabled user. */
const assertOwner = (db: DbOrTx, id: string | null | undefined) =>
  assertEnabledUser(db, id, 'ownerId', 'own an action item');

export async function addActionItem(ctx: ChangeContext, input: IncidentActionItemAddInput) {
  return ctx.db.transaction(async (tx) => {
    await lockIncident(tx, input.incidentId);
    await assertOwner(tx, input.ownerId);
    const [stats] = await tx
      .select({ n: sql<number>`count(*)::int`, last: sql<number | null>`max(${items.position})` })
      .from(items)
      .where(eq(items.incidentId, input.incidentId));
    if ((stats?.n ?? 0) >= INCIDENT_LIMITS.actionItems)
      throw new AppError(
        'INCIDENT_ACTION_ITEM_LIMIT',
        `An incident has at most ${INCIDENT_LIMITS.actionItems} action items.`,
      );
    const now = new Date();
    const [item] = await tx
      .insert(items)
      .values({
        incidentId: input.incidentId,
        title: input.title,
        ownerId: input.ownerId ?? null,
        dueOn: input.dueOn ?? null,
        position: (stats?.last ?? -1) + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, ctx, {
      action: 'incident.action_item.add',
      targetType: 'incident',
      targetId: input.incidentId,
      after: audited(item!),
    });
    return item!;
  });
}

async function lockItem(tx: DbOrTx, id: string) {
  const [item] = await tx.select().from(items).where(eq(items.id, id)).for('update');
  if (!item) throw new AppError('NOT_FOUND', 'No such action item.', ['id']);
  return item;
}

/** `done: true` keeps the first done time; `done: false` clears it. */
export async function updateActionItem(ctx: ChangeContext, id: string, patch: IncidentActionItemPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await lockItem(tx, id);
    if (patch.ownerId !== undefined) await assertOwner(tx, patch.ownerId);
    const now = new Date();
    const { done, ...fields } = patch;
    const doneAt = done === undefined ? before.doneAt : done ? (before.doneAt ?? now) : null;
    const [after] = await tx
      .update(items)
      .set({ ...fields, doneAt, updatedAt: now })
      .where(eq(items.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'incident.action_item.update',
      targetType: 'incident',
      targetId: before.incidentId,
      before: audited(before),
      after: audited(after!),
    });
    return after!;
  });
}

export async function removeActionItem(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await lockItem(tx, id);
    await tx.delete(items).where(eq(items.id, id));
    await audit(tx, ctx, {
      action: 'incident.action_item.remove',
      targetType: 'incident',
      targetId: before.incidentId,
      before: audited(before),
    });
    return { id };
  });
}

/** An incident's action items in the order they were added, each owner named. */
export function listActionItems(db: DbOrTx, incidentId: string) {
  return db
    .select({
      id: items.id,
      title: items.title,
      ownerId: items.ownerId,
      ownerName: users.name,
      ownerEmail: users.email,
      dueOn: items.dueOn,
      doneAt: items.doneAt,
      position: items.position,
    })
    .from(items)
    .leftJoin(users, eq(users.id, items.ownerId))
    .where(eq(items.incidentId, incidentId))
    .orderBy(asc(items.position));
}
