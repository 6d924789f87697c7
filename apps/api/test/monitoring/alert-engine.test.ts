import type { Database } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics';
import { AlertEngineLoop } from '../../src/monitoring/alert-engine';
import { alertingJobs } from '../../src/monitoring/jobs';
import { insertCheck, manualLoop, monitoringDb, until } from './fixtures';

let db: Database;
beforeAll(async () => {
  db = await monitoringDb();
});
afterAll(async () => {
  await db?.close();
});

describe('the alert engine loop and its /metrics', () => {
  it('evaluates due rules on its injected clock and exports ALERTS plus per-rule lag and duration', async () => {
    const check = await insertCheck(db, { url: 'http://127.0.0.1:9/', name: 'homepage' });
    await db.sql`update checks set status = 'down', consecutive_failures = 3, last_run_at = now() where id = ${check.id}`;
    const slot = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const [rule] = await db.sql<{ id: string }[]>`
      insert into alert_rules (name, kind, condition, interval_seconds, labels)
      values ('CheckDown', 'monitor',
        ${JSON.stringify({ kind: 'monitor', target: { type: 'check', id: check.id }, statuses: ['down'], runs: 2 })}::jsonb,
        60, '{"severity": "page"}'::jsonb)
      returning id`;
    await db.sql`
      insert into alert_rule_schedule (rule_id, interval_seconds, phase_offset_ms, next_eval_at)
      values (${rule!.id}, 60, 0, ${new Date(slot)})`;
    const metrics = createMetrics({ sql: db.sql, applicationName: 'test', poolMax: 10 });
    let now = slot + 1_500;
    const loop = new AlertEngineLoop({
      ...manualLoop(db.sql, () => now),
      onEvaluated: (r) => metrics.observeRuleEvaluation(r.lagMs / 1000, r.durationMs / 1000),
    });
    expect(await loop.tick()).toBe(1);
    await loop.stop();
    const [schedule] = await db.sql<{ next: Date; lastEvalAt: Date }[]>`
      select next_eval_at as next, last_eval_at as "lastEvalAt" from alert_rule_schedule where rule_id = ${rule!.id}`;
    expect(schedule!.lastEvalAt.getTime()).toBe(slot);
    expect(schedule!.next.getTime()).toBe(slot + 60_000);
    now += 60_000;

    const text = await metrics.registry.metrics();
    const alerts = text.split('\n').filter((l) => l.startsWith('ALERTS{'));
    expect(alerts).toHaveLength(1);
    for (const part of [
      'alertname="CheckDown"',
      'alertstate="firing"',
      'severity="page"',
      'check="homepage"',
    ])
      expect(alerts[0]).toContain(part);
    expect(alerts[0]).toMatch(/ 1$/);
    expect(text).toMatch(/sextant_alert_evaluation_lag_seconds_count 1/);
    expect(text).toContain(
      `sextant_alert_rule_evaluation_duration_seconds{rule="CheckDown",rule_id="${rule!.id}"}`,
    );
    // Overdue by the real clock (the fake one is an hour behind): the lag gauge shows it.
    expect(text).toMatch(/sextant_alert_rule_evaluation_lag_seconds\{rule="CheckDown",[^}]*\} [1-9]/);
  });

  it('keeps claiming while a full claim leaves due rules, instead of waiting for the next poll', async () => {
    const slot = Math.floor(Date.now() / 60_000) * 60_000 - 7_200_000;
    const condition = {
      kind: 'monitor',
      target: { type: 'check', id: crypto.randomUUID() },
      statuses: ['down'],
      runs: 1,
    };
    const ids = (
      await db.sql<{ id: string }[]>`
        insert into alert_rules (name, kind, condition, interval_seconds)
        select 'Backlog' || n, 'monitor', ${JSON.stringify(condition)}::jsonb, 60 from generate_series(1, 7) n
        returning id`
    ).map((r) => r.id);
    await db.sql`
      insert into alert_rule_schedule (rule_id, interval_seconds, phase_offset_ms, next_eval_at)
      select unnest(${ids}::uuid[]), 60, 0, ${new Date(slot)}`;
    const loop = new AlertEngineLoop({
      ...manualLoop(db.sql, () => slot + 1_000),
      instance: 'backlog-instance',
    });
    // One poll only: the other five rules are claimed as runs finish.
    expect(await loop.tick()).toBe(2);
    const evaluated = () => db.sql<{ n: number }[]>`
      select count(*)::int as n from alert_rule_schedule where rule_id = any(${ids}::uuid[]) and last_eval_at is not null`;
    expect((await until(evaluated, (r) => r[0]!.n === ids.length, 20_000))[0]!.n).toBe(ids.length);
    await loop.stop();
  });

  it('prunes alert history older than the retention', async () => {
    await db.sql`
      insert into alert_transitions (fingerprint, labels, from_state, to_state, reason, at) values
        ('0000000000000001', '{}', 'inactive', 'pending', 'ConditionMet', now() - interval '40 days'),
        ('0000000000000002', '{}', 'inactive', 'pending', 'ConditionMet', now() - interval '1 day')`;
    await alertingJobs({ transitionDays: 30 })[0]!.run(db.sql);
    const rows = await db.sql<{ fingerprint: string }[]>`
      select fingerprint from alert_transitions where fingerprint in ('0000000000000001', '0000000000000002')`;
    expect(rows.map((r) => r.fingerprint)).toEqual(['0000000000000002']);
  });
});
