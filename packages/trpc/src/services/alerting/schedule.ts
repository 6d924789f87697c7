/**
 * The evaluation schedule of alert rules (`alert_rule_schedule`), written here alone: the rule service calls
 * `scheduleRule` when a rule is created or edited; the engine claims due rows and writes the next slot.
 */
import { randomUUID } from 'node:crypto';
import {
  type DbOrTx,
  eq,
  followingSlot,
  nextSlot,
  phaseOffsetMs,
  type Queries,
  type RuleHealth,
  type Sql,
  schema,
} from '@sextant/db';

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

/** A rule slot leased to one claim; `lease` is unique per claim, so only that claim may complete the slot. */
export interface ClaimedSlot {
  ruleId: string;
  /** The slot being evaluated (epoch ms): the evaluation's time. */
  slotMs: number;
  intervalSeconds: number;
  phaseOffsetMs: number;
  lease: string;
}

/**
 * Leases up to `limit` due slots of enabled rules at the engine's `nowMs` (never SQL now()): due, not leased or
 * lease lapsed, oldest first, locked so concurrent claimers skip them. The claim commits at once; evaluation
 * runs outside it.
 */
export async function claimDueRules(
  sql: Sql,
  owner: string,
  limit: number,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimedSlot[]> {
  const now = new Date(nowMs);
  const lease = `${owner}#${randomUUID()}`;
  const rows = await sql<{ ruleId: string; slot: Date; intervalSeconds: number; phaseOffsetMs: number }[]>`
    with due as (
      select s.rule_id from alert_rule_schedule s join alert_rules r on r.id = s.rule_id
      where r.enabled and s.next_eval_at <= ${now} and (s.lease_until is null or s.lease_until < ${now})
      order by s.next_eval_at
      limit ${limit}
      for update of s skip locked)
    update alert_rule_schedule s set lease_owner = ${lease}, lease_until = ${new Date(nowMs + leaseMs)}
    from due where s.rule_id = due.rule_id
    returning s.rule_id as "ruleId", s.next_eval_at as slot, s.interval_seconds as "intervalSeconds",
      s.phase_offset_ms as "phaseOffsetMs"`;
  return rows.map(({ slot, ...r }) => ({ ...r, slotMs: slot.getTime(), lease }));
}

/** How an evaluation went, stored with the slot it completes. */
export interface SlotOutcome {
  health: RuleHealth;
  lastError: string | null;
  durationMs: number;
}

/**
 * Completes a claimed slot: the next slot on the rule's grid (followingSlot, so a late run does not skip one), the
 * evaluation's health, lease cleared. A compare-and-set on the slot and the claim's lease, as a statement fragment
 * for the caller's write (instances.ts persistEvaluation runs it with the instance writes as one statement): it
 * returns a row only when the claim still holds the slot; none when the slot was taken over after the lease lapsed,
 * or the rule was rescheduled or disabled, and then the caller must write nothing.
 */
export function slotCompletion(tx: Queries, claim: ClaimedSlot, outcome: SlotOutcome, nowMs: number) {
  const next = new Date(followingSlot(claim.slotMs, nowMs, claim.intervalSeconds, claim.phaseOffsetMs));
  return tx`
    update alert_rule_schedule set next_eval_at = ${next}, lease_owner = null, lease_until = null,
      health = ${outcome.health}, last_error = ${outcome.lastError}, last_eval_at = ${new Date(claim.slotMs)},
      last_eval_duration_ms = ${outcome.durationMs}
    where rule_id = ${claim.ruleId} and next_eval_at = ${new Date(claim.slotMs)} and lease_owner = ${claim.lease}
      and interval_seconds = ${claim.intervalSeconds}
    returning rule_id`;
}

/** Per-rule evaluation lag and duration for /metrics: the last evaluation of each rule, most lagging first. */
export function ruleEvaluationStats(sql: Sql, nowMs: number, limit: number) {
  return sql<{ ruleId: string; name: string; lagSeconds: number; durationSeconds: number | null }[]>`
    select s.rule_id as "ruleId", r.name,
      greatest(0, extract(epoch from (${new Date(nowMs)}::timestamptz - s.next_eval_at)))::float8 as "lagSeconds",
      s.last_eval_duration_ms / 1000.0 as "durationSeconds"
    from alert_rule_schedule s join alert_rules r on r.id = s.rule_id
    where r.enabled and s.next_eval_at is not null
    order by s.next_eval_at limit ${limit}`;
}
