/** Stored inhibition rules (`inhibition_rules`), written here alone; the decisions are in inhibition.ts. */
import { asc, type DbOrTx, eq, schema } from '@sextant/db';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import type { InhibitionRuleRequest } from '../../schemas/alerting-matchers';
import { audit, deleteAudited } from '../audit';
import { type InhibitionRule, validateInhibitionRule } from './inhibition';

const { inhibitionRules } = schema;
type Row = typeof inhibitionRules.$inferSelect;

async function getRule(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(inhibitionRules).where(eq(inhibitionRules.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such inhibition rule.', ['id']);
  return row;
}

const audited = { type: 'inhibition_rule', get: getRule, show: (row: Row) => row };

export function listInhibitionRules(db: DbOrTx) {
  return db.select().from(inhibitionRules).orderBy(asc(inhibitionRules.name), asc(inhibitionRules.id));
}

/** The enabled rules, as inhibition.ts takes them. */
export function enabledInhibitionRules(db: DbOrTx): Promise<InhibitionRule[]> {
  return db
    .select({
      id: inhibitionRules.id,
      sourceMatchers: inhibitionRules.sourceMatchers,
      targetMatchers: inhibitionRules.targetMatchers,
      equal: inhibitionRules.equal,
    })
    .from(inhibitionRules)
    .where(eq(inhibitionRules.enabled, true))
    .orderBy(asc(inhibitionRules.id));
}

export function createInhibitionRule(ctx: ChangeContext, input: InhibitionRuleRequest) {
  validateInhibitionRule(input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(inhibitionRules).values(input).returning();
    await audit(tx, ctx, {
      action: 'inhibition_rule.create',
      targetType: 'inhibition_rule',
      targetId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** A full replacement of the rule's definition; `enabled` stays as it is (setInhibitionRuleEnabled changes it). */
export function updateInhibitionRule(ctx: ChangeContext, id: string, input: InhibitionRuleRequest) {
  validateInhibitionRule(input);
  return ctx.db.transaction(async (tx) => {
    const before = await getRule(tx, id);
    const [after] = await tx
      .update(inhibitionRules)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(inhibitionRules.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'inhibition_rule.update',
      targetType: 'inhibition_rule',
      targetId: id,
      before,
      after,
    });
    return after!;
  });
}

/** Turns a rule on or off, audited as `inhibition_rule.enable` / `.disable`; a no-op when it already is. */
export function setInhibitionRuleEnabled(ctx: ChangeContext, id: string, enabled: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await getRule(tx, id);
    if (before.enabled === enabled) return before;
    const [after] = await tx
      .update(inhibitionRules)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(inhibitionRules.id, id))
      .returning();
    await audit(tx, ctx, {
      action: `inhibition_rule.${enabled ? 'enable' : 'disable'}`,
      targetType: 'inhibition_rule',
      targetId: id,
    });
    return after!;
  });
}

export function deleteInhibitionRule(ctx: ChangeContext, id: string) {
  return deleteAudited(ctx, audited, id, (tx) =>
    tx.delete(inhibitionRules).where(eq(inhibitionRules.id, id)),
  );
}
