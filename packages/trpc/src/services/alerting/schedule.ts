/**
 * The evaluation schedule of alert rules (`alert_rule_schedule`), written here alone: the rule service calls
 * `scheduleRule` when a rule is created or edited; the engine claims due rows and writes the next slot.
 */
import { type DbOrTx, eq, nextSlot, phaseOffsetMs, schema } from '@sextant/db';

/**
 * Puts a rule on its slot grid (epoch-aligned + stable per-rule phase) from `nowMs` on, or off it when disabled.
 * An unchanged interval keeps the phase and the pending slot, so an edit never shifts or skips an evaluation.
 */
export async function scheduleRule(
  tx: DbOrTx,
  rule: { id: string; intervalSeconds: number; enabled: boolean },
  nowMs: number,
) {
  const offset = phaseOffsetMs(rule.id, rule.intervalSeconds);
  const next = rule.enabled ? new Date(nextSlot(nowMs, rule.intervalSeconds, offset)) : null;
  const row = { intervalSeconds: rule.intervalSeconds, phaseOffsetMs: offset, nextEvalAt: next };
  const [existing] = await tx
    .select()
    .from(schema.alertRuleSchedule)
    .where(eq(schema.alertRuleSchedule.ruleId, rule.id))
    .limit(1);
  if (!existing) {
    await tx.insert(schema.alertRuleSchedule).values({ ruleId: rule.id, ...row });
    return;
  }
  const keep =
    rule.enabled && existing.nextEvalAt !== null && existing.intervalSeconds === rule.intervalSeconds;
  if (keep) return;
  await tx.update(schema.alertRuleSchedule).set(row).where(eq(schema.alertRuleSchedule.ruleId, rule.id));
}
