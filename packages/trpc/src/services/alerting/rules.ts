/** Alert rule definitions (`alert_rules`), written here alone: create, edit, delete, the default monitor rule. */
import { asc, type DbOrTx, defaultCheckRule, sql as dsql, eq, schema } from '@sextant/db';
import type { ChangeContext, Context } from '../../context';
import { AppError } from '../../errors';
import { ALERT_RULE_LIMITS, type AlertRuleInput } from '../../schemas/alert-rules';
import { ownerId } from '../api-keys';
import { audit, deleteAudited } from '../audit';
import { previewRule } from './engine';
import { validateRule } from './rule-validation';
import { scheduleRule } from './schedule';

const { alertRules, alertRuleSchedule } = schema;
type Ctx = ChangeContext & Pick<Context, 'sql'>;
type Row = typeof alertRules.$inferSelect;

async function getRuleRow(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such alert rule.');
  return row;
}

/** A rule as callers and the audit log see it (no secrets in a rule). */
export function presentRule(row: Row) {
  return row;
}

/** The row's columns for an input; the kind column is the condition's. */
function columns(input: AlertRuleInput) {
  return { ...input, kind: input.condition.kind };
}

/** Inserts a rule, puts it on the engine's slot grid and audits it, in the caller's transaction. */
async function insertRule(
  tx: DbOrTx,
  ctx: ChangeContext,
  values: Omit<typeof alertRules.$inferInsert, 'createdBy'>,
) {
  const createdBy = ctx.identity ? ownerId(ctx.identity) : null;
  const [row] = await tx
    .insert(alertRules)
    .values({ ...values, createdBy })
    .returning();
  await scheduleRule(tx, row!, Date.now());
  const shown = presentRule(row!);
  await audit(tx, ctx, {
    action: 'alert_rule.create',
    targetType: 'alert_rule',
    targetId: row!.id,
    after: shown,
  });
  return shown;
}

export async function createRule(ctx: Ctx, input: AlertRuleInput) {
  return ctx.db.transaction(async (tx) => {
    await validateRule(tx, ctx.sql, input);
    return insertRule(tx, ctx, columns(input));
  });
}

/** Replaces a rule's definition (the editor sends the whole rule); its schedule keeps its phase if the interval stays. */
export async function updateRule(ctx: Ctx, id: string, input: AlertRuleInput) {
  return ctx.db.transaction(async (tx) => {
    const before = await getRuleRow(tx, id);
    await validateRule(tx, ctx.sql, input);
    const [after] = await tx
      .update(alertRules)
      .set({ ...columns(input), updatedAt: new Date() })
      .where(eq(alertRules.id, id))
      .returning();
    await scheduleRule(tx, after!, Date.now());
    const shown = presentRule(after!);
    await audit(tx, ctx, {
      action: 'alert_rule.update',
      targetType: 'alert_rule',
      targetId: id,
      before: presentRule(before),
      after: shown,
    });
    return shown;
  });
}

/** Turns a rule on or off, audited as `alert_rule.enable` / `.disable`; a no-op when it already is. */
export async function setRuleEnabled(ctx: ChangeContext, id: string, enabled: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await getRuleRow(tx, id);
    if (before.enabled === enabled) return presentRule(before);
    const [after] = await tx
      .update(alertRules)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(alertRules.id, id))
      .returning();
    await scheduleRule(tx, after!, Date.now());
    await audit(tx, ctx, {
      action: `alert_rule.${enabled ? 'enable' : 'disable'}`,
      targetType: 'alert_rule',
      targetId: id,
    });
    return presentRule(after!);
  });
}

export function deleteRule(ctx: ChangeContext, id: string) {
  return deleteAudited(ctx, { type: 'alert_rule', get: getRuleRow, show: presentRule }, id, (tx) =>
    tx.delete(alertRules).where(eq(alertRules.id, id)),
  );
}

/** The check's default rule "<check> down" for 2 runs, in the caller's transaction (the check's creation). */
export async function createDefaultCheckRule(
  tx: DbOrTx,
  ctx: ChangeContext,
  check: { id: string; name: string; serviceId: string; intervalSeconds: number },
) {
  const { min, max } = ALERT_RULE_LIMITS.intervalSeconds;
  const intervalSeconds = Math.min(max, Math.max(min, check.intervalSeconds));
  return insertRule(tx, ctx, defaultCheckRule({ ...check, intervalSeconds }));
}

/** Rules with their last evaluation and how many of their alerts are pending / firing now (recovering ones still fire). */
function withState(db: DbOrTx) {
  const counts = (where: ReturnType<typeof dsql>) =>
    dsql<number>`(select count(*)::int from alert_instances i where i.rule_id = ${alertRules.id} and ${where})`;
  return db
    .select({
      rule: alertRules,
      serviceName: schema.services.name,
      serviceSlug: schema.services.slug,
      health: alertRuleSchedule.health,
      lastError: alertRuleSchedule.lastError,
      lastEvalAt: alertRuleSchedule.lastEvalAt,
      nextEvalAt: alertRuleSchedule.nextEvalAt,
      pending: counts(dsql`i.state = 'pending'`),
      firing: counts(dsql`i.state in ('firing', 'recovering')`),
    })
    .from(alertRules)
    .leftJoin(alertRuleSchedule, eq(alertRuleSchedule.ruleId, alertRules.id))
    .leftJoin(schema.services, eq(schema.services.id, alertRules.serviceId));
}

type StateRow = Awaited<ReturnType<ReturnType<typeof withState>['execute']>>[number];

function presentWithState({ rule, ...state }: StateRow) {
  return { ...presentRule(rule), ...state, health: state.health ?? 'unknown' };
}

export async function listRules(db: DbOrTx, filter: { serviceId?: string } = {}) {
  const q = withState(db);
  const rows = await (filter.serviceId ? q.where(eq(alertRules.serviceId, filter.serviceId)) : q).orderBy(
    asc(alertRules.name),
    asc(alertRules.id),
  );
  return rows.map(presentWithState);
}

export async function getRule(db: DbOrTx, id: string) {
  const [row] = await withState(db).where(eq(alertRules.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such alert rule.');
  return presentWithState(row);
}

/**
 * The editor's "evaluate now": the draft checked as a save would check it, then evaluated at `nowMs` against the
 * rule's current instances (none for a new rule). Nothing is written.
 */
export async function evaluateRuleNow(
  ctx: Pick<Context, 'db' | 'sql'>,
  id: string | null,
  input: AlertRuleInput,
  nowMs: number,
) {
  if (id) await getRuleRow(ctx.db, id);
  await validateRule(ctx.db, ctx.sql, input);
  return previewRule(ctx.sql, { ...input, id }, nowMs);
}
