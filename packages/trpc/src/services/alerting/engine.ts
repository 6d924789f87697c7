/**
 * The alert evaluation engine (spec A2): claims due rule slots (schedule.ts), evaluates each condition at its slot
 * time outside any transaction (conditions.ts), then in ONE transaction completes the slot (fenced on the claim)
 * and writes the instances and their transitions (instances.ts). The clock is always passed in.
 */
import type { AlertAnnotations, AlertCondition, Queries, Sql } from '@sextant/db';
import { evaluateCondition } from './conditions';
import {
  loadRuleInstances,
  parseInstances,
  persistEvaluation,
  ruleInstancesJson,
  type StoredInstance,
} from './instances';
import {
  type AlertInstance,
  type ErrorPolicy,
  type Evaluation,
  evaluateRule,
  type NoDataPolicy,
  type Outcome,
  type RuleSettings,
} from './rule-state';
import { type ClaimedSlot, claimDueRules, slotCompletion } from './schedule';
import { renderAnnotations } from './templates';

/** The rule fields evaluation reads: a persisted rule, or the editor's draft for previewRule. */
export interface EvaluableRule {
  id: string;
  name: string;
  condition: AlertCondition;
  forSeconds: number;
  keepFiringForSeconds: number;
  intervalSeconds: number;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  noDataPolicy: NoDataPolicy;
  errorPolicy: ErrorPolicy;
  seriesLimit: number;
}

/** How long a claim holds a slot before another instance may take it over: above any query's statement timeout. */
export const EVALUATION_LEASE_MS = 90_000;

/** An instance's annotations; the one place the template renderer (templates.ts) plugs in. */
export function annotate(
  rule: Pick<EvaluableRule, 'annotations' | 'condition'>,
  labels: Record<string, string>,
  value: number | null,
): AlertAnnotations {
  const threshold = rule.condition.kind === 'metric' ? rule.condition.threshold : null;
  return renderAnnotations(rule.annotations, { labels, value, threshold });
}

export function ruleSettings(rule: EvaluableRule): RuleSettings {
  return {
    alertname: rule.name,
    labels: rule.labels,
    forMs: rule.forSeconds * 1000,
    keepFiringForMs: rule.keepFiringForSeconds * 1000,
    noData: rule.noDataPolicy,
    onError: rule.errorPolicy,
    limit: rule.seriesLimit,
  };
}

const RULE_COLUMNS = `id, name, condition, for_seconds as "forSeconds", keep_firing_for_seconds as "keepFiringForSeconds",
  interval_seconds as "intervalSeconds", labels, annotations, no_data_policy as "noDataPolicy",
  error_policy as "errorPolicy", series_limit as "seriesLimit"`;

/** The rule and its persisted instances in one statement; null when the rule is gone or disabled. */
async function loadRule(
  sql: Queries,
  id: string,
): Promise<{ rule: EvaluableRule; prior: StoredInstance[] } | null> {
  const [row] = await sql<(EvaluableRule & { instances: string | StoredInstance[] })[]>`
    select ${sql.unsafe(RULE_COLUMNS)}, ${ruleInstancesJson(sql, sql`r.id`)} as instances
    from alert_rules r where id = ${id} and enabled`;
  if (!row) return null;
  const { instances, ...rule } = row;
  return { rule, prior: parseInstances(instances) };
}

/** What one claimed slot came to; `written` is false when the claim was fenced off (taken over, rescheduled). */
export interface SlotResult {
  ruleId: string;
  name: string | null;
  slotMs: number;
  /** Engine time the evaluation started minus its slot. */
  lagMs: number;
  durationMs: number;
  written: boolean;
  evaluation: Evaluation | null;
}

/**
 * Evaluates one claimed slot at its slot time and writes it in one statement (so one transaction), fenced: completing
 * the slot is a compare-and-set on slot + lease, and when it fails (the lease lapsed and another claim took the
 * slot, or the rule was rescheduled) nothing is written. Two round trips besides the condition's query: the rule
 * with its instances, and the write, which rewrites only the instances that changed or are due a refresh.
 */
export async function evaluateSlot(sql: Sql, claim: ClaimedSlot, clock: () => number): Promise<SlotResult> {
  const startedAt = clock();
  const result = { ruleId: claim.ruleId, slotMs: claim.slotMs, lagMs: startedAt - claim.slotMs };
  // Reading the instances before the fence is safe: no other claim can write this rule until this slot is completed
  // or its lease lapses, and then the compare-and-set below fails and nothing is written.
  const loaded = await loadRule(sql, claim.ruleId);
  const outcome: Outcome = loaded
    ? await evaluateCondition(sql, loaded.rule.condition, claim.slotMs)
    : { kind: 'error', message: 'the rule is gone' };
  const durationMs = clock() - startedAt;
  const fenced = { ...result, name: loaded?.rule.name ?? null, durationMs, written: false, evaluation: null };
  if (!loaded) return fenced;
  const { rule, prior } = loaded;
  const evaluation = evaluateRule(ruleSettings(rule), prior, outcome, claim.slotMs);
  const slot = { health: evaluation.health, lastError: evaluation.error, durationMs };
  const held = await persistEvaluation(
    sql,
    slotCompletion(sql, claim, slot, clock()),
    { id: rule.id, intervalSeconds: rule.intervalSeconds, annotate: (l, v) => annotate(rule, l, v) },
    prior,
    evaluation,
    claim.slotMs,
  );
  return held ? { ...result, name: rule.name, durationMs, written: true, evaluation } : fenced;
}

/**
 * One engine pass at the clock's time: claims up to `limit` due slots for `owner` and evaluates them,
 * `concurrency` at a time. Used by tests and benches; the API's worker loop runs claims and slots itself.
 */
export async function runDueRules(
  sql: Sql,
  o: { owner: string; clock: () => number; limit: number; concurrency: number; leaseMs?: number },
): Promise<SlotResult[]> {
  const claims = await claimDueRules(sql, o.owner, o.limit, o.clock(), o.leaseMs ?? EVALUATION_LEASE_MS);
  const results: SlotResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < claims.length) results.push(await evaluateSlot(sql, claims[next++]!, o.clock));
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, claims.length) }, worker));
  return results;
}

/** A rule being edited: an id is optional (a new rule has no instances yet). */
export type RuleDraft = Omit<EvaluableRule, 'id'> & { id?: string | null };

export interface Preview {
  outcome: Outcome;
  evaluation: Evaluation;
  /** The instances' annotations as they would be stored. */
  annotations: { fingerprint: string; annotations: AlertAnnotations }[];
}

/**
 * The rules editor's "evaluate now": the draft's condition at `nowMs` and what evaluateRule would make of it against
 * the rule's persisted instances (none for a new rule). Reads only; nothing is written.
 */
export async function previewRule(sql: Sql, draft: RuleDraft, nowMs: number): Promise<Preview> {
  const outcome = await evaluateCondition(sql, draft.condition, nowMs);
  const prior: AlertInstance[] = draft.id ? await loadRuleInstances(sql, draft.id) : [];
  const evaluation = evaluateRule(ruleSettings({ ...draft, id: draft.id ?? '' }), prior, outcome, nowMs);
  const annotations = evaluation.instances.map((i) => ({
    fingerprint: i.fingerprint,
    annotations: annotate(draft, i.labels, i.value),
  }));
  return { outcome, evaluation, annotations };
}
