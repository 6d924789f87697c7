/**
 * The one writer of `alert_instances` and `alert_transitions`: the engine persists a rule's evaluation here (its
 * instances and their transitions, in the caller's transaction), and the Alertmanager-compatible ingest
 * (`POST /api/v2/alerts`, spec A3) stores external alerts here.
 */
import type { AlertAnnotations, Queries, Sql } from '@sextant/db';
import { type AlertInstance, alertWindow, type Evaluation } from './rule-state';

// --- Rule alerts: the engine's writes (spec A2, R8). ---

/** A persisted rule instance as rule-state reads it. */
export async function loadRuleInstances(sql: Queries, ruleId: string): Promise<AlertInstance[]> {
  const rows = await sql<
    (Omit<AlertInstance, 'activeAt' | 'firedAt' | 'resolvedAt' | 'keepFiringSince'> & {
      activeAt: Date;
      firedAt: Date | null;
      resolvedAt: Date | null;
      keepFiringSince: Date | null;
    })[]
  >`
    select fingerprint, labels, state, reason, active_at as "activeAt", fired_at as "firedAt",
      resolved_at as "resolvedAt", keep_firing_since as "keepFiringSince", value, missed_evals as "missedEvals"
    from alert_instances where rule_id = ${ruleId} and source = 'rule'`;
  const ms = (d: Date | null) => (d === null ? null : d.getTime());
  return rows.map((r) => ({
    ...r,
    activeAt: r.activeAt.getTime(),
    firedAt: ms(r.firedAt),
    resolvedAt: ms(r.resolvedAt),
    keepFiringSince: ms(r.keepFiringSince),
  }));
}

/** What persisting one evaluation needs of its rule. */
export interface PersistedRule {
  id: string;
  intervalSeconds: number;
  annotate: (labels: Record<string, string>, value: number | null) => AlertAnnotations;
}

/**
 * Writes one evaluation in the caller's transaction (the one that completes the slot): the instances evaluateRule
 * kept are upserted with the notifier's startsAt/endsAt (alertWindow), those of `prior` it dropped are deleted,
 * every transition is appended to the history.
 */
export async function persistEvaluation(
  tx: Queries,
  rule: PersistedRule,
  prior: readonly AlertInstance[],
  evaluation: Evaluation,
  nowMs: number,
): Promise<void> {
  const d = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const rows = evaluation.instances.map((i) => {
    const window = alertWindow(i, nowMs, rule.intervalSeconds * 1000);
    return {
      fingerprint: i.fingerprint,
      labels: i.labels,
      annotations: rule.annotate(i.labels, i.value),
      state: i.state,
      reason: i.reason,
      value: i.value,
      active_at: d(i.activeAt),
      fired_at: d(i.firedAt),
      resolved_at: d(i.resolvedAt),
      keep_firing_since: d(i.keepFiringSince),
      missed_evals: i.missedEvals,
      starts_at: d(window?.startsAt ?? null),
      ends_at: d(window?.endsAt ?? null),
    };
  });
  const kept = new Set(rows.map((r) => r.fingerprint));
  const dropped = prior.filter((i) => !kept.has(i.fingerprint)).map((i) => i.fingerprint);
  if (dropped.length > 0)
    await tx`
      delete from alert_instances where rule_id = ${rule.id} and source = 'rule'
        and fingerprint = any(${dropped}::char(16)[])`;
  if (rows.length > 0)
    await tx`
      insert into alert_instances (source, rule_id, fingerprint, labels, annotations, state, reason, value, active_at,
        fired_at, resolved_at, keep_firing_since, missed_evals, last_eval_at, starts_at, ends_at)
      select 'rule', ${rule.id}, r.fingerprint, r.labels, r.annotations, r.state, r.reason, r.value, r.active_at,
        r.fired_at, r.resolved_at, r.keep_firing_since, r.missed_evals, ${new Date(nowMs)}, r.starts_at, r.ends_at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(fingerprint text, labels jsonb, annotations jsonb,
        state alert_state, reason text, value float8, active_at timestamptz, fired_at timestamptz,
        resolved_at timestamptz, keep_firing_since timestamptz, missed_evals int, starts_at timestamptz,
        ends_at timestamptz)
      on conflict (rule_id, fingerprint) where rule_id is not null do update set labels = excluded.labels,
        annotations = excluded.annotations, state = excluded.state, reason = excluded.reason, value = excluded.value,
        active_at = excluded.active_at, fired_at = excluded.fired_at, resolved_at = excluded.resolved_at,
        keep_firing_since = excluded.keep_firing_since, missed_evals = excluded.missed_evals,
        last_eval_at = excluded.last_eval_at, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
        updated_at = ${new Date(nowMs)}`;
  if (evaluation.transitions.length > 0) {
    const history = evaluation.transitions.map((t) => ({
      fingerprint: t.fingerprint,
      labels: t.labels,
      from_state: t.from,
      to_state: t.to,
      reason: t.reason,
      value: t.value,
      at: d(t.at),
    }));
    await tx`
      insert into alert_transitions (rule_id, fingerprint, labels, from_state, to_state, reason, value, at)
      select ${rule.id}, h.fingerprint, h.labels, h.from_state, h.to_state, h.reason, h.value, h.at
      from jsonb_to_recordset(${JSON.stringify(history)}::jsonb) as h(fingerprint text, labels jsonb, from_state text,
        to_state text, reason text, value float8, at timestamptz)`;
  }
}

/** Pending and firing rule alerts for Sextant's own ALERTS series, at most `limit` (firing first). */
export function activeRuleAlerts(sql: Sql, limit: number) {
  return sql<{ labels: Record<string, string>; state: 'pending' | 'firing' }[]>`
    select labels, state from alert_instances
    where source = 'rule' and state in ('pending', 'firing')
    order by state desc, id limit ${limit}`;
}

/** Drops history older than `beforeMs` (the retention job). */
export async function pruneAlertTransitions(sql: Sql, beforeMs: number): Promise<number> {
  const done = await sql`delete from alert_transitions where at < ${new Date(beforeMs)}`;
  return done.count;
}

// --- External alerts: /api/v2/alerts (spec A3). ---
