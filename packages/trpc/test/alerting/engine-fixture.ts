import { randomUUID } from 'node:crypto';
import { type AlertCondition, createDatabase, type Database, ensurePartitions } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { inject } from 'vitest';
import { batchSchema } from '../../src/schemas/metrics';
import { type RuleDraft, runDueRules } from '../../src/services/alerting/engine';
import { scheduleRule } from '../../src/services/alerting/schedule';
import { ingestBatch } from '../../src/services/metrics/ingest';
import { DEFAULT_SERIES_LIMITS } from '../../src/services/metrics/limits';

/** A fresh database with metric partitions around the fake clock's start; its URL opens more pools on it. */
export async function engineDb(max = 6): Promise<{ url: string; database: Database }> {
  const url = await createTestDatabase(inject('adminUrl'));
  const database = createDatabase(url, { max });
  await ensurePartitions(
    database.sql,
    new Date(Date.now() - 3 * 86_400_000),
    new Date(Date.now() + 86_400_000),
  );
  return { url, database };
}

/** A shared fake clock; starts on a whole hour in the past so sample timestamps stay inside ingest's window. */
export function fakeClock(startMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000) {
  let now = startMs;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export type RuleInput = Partial<Omit<RuleDraft, 'condition'>> & {
  condition: AlertCondition;
  enabled?: boolean;
};

/** Inserts a rule as the rules service would, and puts it on its slot grid from `nowMs`. */
export async function addRule(database: Database, input: RuleInput, nowMs: number): Promise<string> {
  const id = input.id ?? randomUUID();
  const rule = {
    id,
    name: input.name ?? 'TestAlert',
    kind: input.condition.kind,
    condition: input.condition,
    forSeconds: input.forSeconds ?? 0,
    keepFiringForSeconds: input.keepFiringForSeconds ?? 0,
    intervalSeconds: input.intervalSeconds ?? 60,
    labels: input.labels ?? {},
    annotations: input.annotations ?? {},
    noDataPolicy: input.noDataPolicy ?? 'NoData',
    errorPolicy: input.errorPolicy ?? 'KeepLast',
    seriesLimit: input.seriesLimit ?? 0,
    enabled: input.enabled ?? true,
  };
  await database.sql`
    insert into alert_rules (id, name, kind, condition, for_seconds, keep_firing_for_seconds, interval_seconds, labels,
      annotations, no_data_policy, error_policy, series_limit, enabled)
    values (${id}, ${rule.name}, ${rule.kind}, ${JSON.stringify(rule.condition)}::jsonb, ${rule.forSeconds},
      ${rule.keepFiringForSeconds}, ${rule.intervalSeconds}, ${JSON.stringify(rule.labels)}::jsonb,
      ${JSON.stringify(rule.annotations)}::jsonb, ${rule.noDataPolicy}, ${rule.errorPolicy}, ${rule.seriesLimit},
      ${rule.enabled})`;
  await scheduleRule(database.db, rule, nowMs);
  return id;
}

/** Gauge points through the real ingest path. */
export async function push(
  database: Database,
  points: { name: string; labels: Record<string, string>; ts: number; value: number }[],
) {
  await ingestBatch(database.sql, batchSchema.parse({ points }), DEFAULT_SERIES_LIMITS);
}

/** The rule's next slot as the schedule holds it. */
export async function nextEval(database: Database, ruleId: string): Promise<number> {
  const [row] = await database.sql<{ at: Date }[]>`
    select next_eval_at as at from alert_rule_schedule where rule_id = ${ruleId}`;
  return row!.at.getTime();
}

/** Moves the clock to the rule's next slot and runs one engine pass there; the rule's results (other tests' rules may run too). */
export async function evalNext(database: Database, clock: ReturnType<typeof fakeClock>, ruleId: string) {
  clock.set(await nextEval(database, ruleId));
  const results = await runDueRules(database.sql, {
    owner: 'test',
    clock: clock.now,
    limit: 100,
    concurrency: 2,
  });
  return results.filter((r) => r.ruleId === ruleId);
}

export interface StoredTransition {
  fingerprint: string;
  from: string;
  to: string;
  reason: string;
  at: number;
  value: number | null;
}

export async function transitions(database: Database, ruleId?: string): Promise<StoredTransition[]> {
  const rows = await database.sql<(Omit<StoredTransition, 'at'> & { at: Date; ruleId: string })[]>`
    select rule_id as "ruleId", fingerprint, from_state as from, to_state as to, reason, value, at
    from alert_transitions where ${ruleId ? database.sql`rule_id = ${ruleId}` : database.sql`true`}
    order by at, rule_id, fingerprint, id`;
  return rows.map((r) => ({ ...r, at: r.at.getTime() }));
}

export async function instances(database: Database, ruleId: string) {
  return database.sql<
    {
      fingerprint: string;
      labels: Record<string, string>;
      state: string;
      reason: string;
      value: number | null;
      activeAt: Date;
      firedAt: Date | null;
      resolvedAt: Date | null;
      startsAt: Date | null;
      endsAt: Date | null;
    }[]
  >`
    select fingerprint, labels, state, reason, value, active_at as "activeAt", fired_at as "firedAt",
      resolved_at as "resolvedAt", starts_at as "startsAt", ends_at as "endsAt"
    from alert_instances where rule_id = ${ruleId} order by fingerprint`;
}
