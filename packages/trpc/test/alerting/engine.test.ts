import type { Database, MetricCondition } from '@sextant/db';
import { createDatabase } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRule, runDueRules } from '../../src/services/alerting/engine';
import {
  addRule,
  engineDb,
  evalNext,
  fakeClock,
  instances,
  nextEval,
  push,
  transitions,
} from './engine-fixture';

let db: Database;
let url: string;
beforeAll(async () => {
  ({ database: db, url } = await engineDb());
});
afterAll(async () => {
  await db?.close();
});

const MIN = 60_000;
let metricNo = 0;
/** Each test its own metric, so tests sharing the database never see each other's samples. */
const metric = (over: Partial<MetricCondition> = {}): MetricCondition => ({
  kind: 'metric',
  metric: `cpu_${++metricNo}`,
  fn: 'max',
  matchers: [],
  by: ['host'],
  windowSeconds: 30,
  comparison: '>',
  threshold: 80,
  ...over,
});

/** Moves to the rule's next slot, pushes `values` (host -> value) 5 s before it, and evaluates there. */
async function step(
  clock: ReturnType<typeof fakeClock>,
  ruleId: string,
  name: string,
  values: Record<string, number>,
) {
  const slot = await nextEval(db, ruleId);
  const points = Object.entries(values).map(([host, value]) => ({
    name,
    labels: { host },
    ts: slot - 5_000,
    value,
  }));
  if (points.length) await push(db, points);
  await evalNext(db, clock, ruleId);
  return slot;
}

const brief = (t: { from: string; to: string; reason: string; at: number }[]) =>
  t.map(({ from, to, reason, at }) => ({ from, to, reason, at }));

describe('metric rules through the engine (spec A2, R1-R7)', () => {
  it('go pending, then firing once `for` elapsed, then resolved, at slot times with reasons and notifier windows', async () => {
    const clock = fakeClock();
    const c = metric();
    const id = await addRule(db, { condition: c, forSeconds: 120 }, clock.now());
    const s0 = await step(clock, id, c.metric, { a: 90, b: 10 });
    expect((await instances(db, id)).map((i) => [i.labels.host, i.state, i.startsAt])).toEqual([
      ['a', 'pending', null],
    ]);
    const s1 = await step(clock, id, c.metric, { a: 95, b: 10 });
    const s2 = await step(clock, id, c.metric, { a: 91, b: 10 });
    const [firing] = await instances(db, id);
    expect(firing).toMatchObject({
      state: 'firing',
      value: 91,
      labels: { alertname: 'TestAlert', host: 'a' },
    });
    expect(firing!.startsAt!.getTime()).toBe(s2);
    expect(firing!.endsAt!.getTime()).toBe(s2 + 4 * MIN);
    const s3 = await step(clock, id, c.metric, { a: 10, b: 10 });
    expect([s1 - s0, s2 - s1, s3 - s2]).toEqual([MIN, MIN, MIN]);
    expect(brief(await transitions(db, id))).toEqual([
      { from: 'inactive', to: 'pending', reason: 'ConditionMet', at: s0 },
      { from: 'pending', to: 'firing', reason: 'ForElapsed', at: s2 },
      { from: 'firing', to: 'resolved', reason: 'ConditionCleared', at: s3 },
    ]);
    const [resolved] = await instances(db, id);
    expect(resolved!.endsAt!.getTime()).toBe(s3);
    const [schedule] = await db.sql<{ health: string; lastEvalAt: Date; leaseOwner: string | null }[]>`
      select health, last_eval_at as "lastEvalAt", lease_owner as "leaseOwner" from alert_rule_schedule where rule_id = ${id}`;
    expect(schedule).toMatchObject({ health: 'ok', leaseOwner: null });
    expect(schedule!.lastEvalAt.getTime()).toBe(s3);
    expect(await nextEval(db, id)).toBe(s3 + MIN);
  });

  it('hold a firing alert inside the hysteresis band and clear it only past the resolve threshold', async () => {
    const clock = fakeClock();
    const c = metric({ resolveThreshold: 70 });
    const id = await addRule(db, { condition: c }, clock.now());
    const s0 = await step(clock, id, c.metric, { a: 90 });
    await step(clock, id, c.metric, { a: 75 });
    expect((await instances(db, id))[0]).toMatchObject({ state: 'firing', value: 75 });
    const s2 = await step(clock, id, c.metric, { a: 65 });
    expect(brief(await transitions(db, id))).toEqual([
      { from: 'inactive', to: 'pending', reason: 'ConditionMet', at: s0 },
      { from: 'pending', to: 'firing', reason: 'ForElapsed', at: s0 },
      { from: 'firing', to: 'resolved', reason: 'ConditionCleared', at: s2 },
    ]);
    // Without hysteresis the same 75 resolves at once.
    const plain = metric();
    const other = await addRule(db, { condition: plain }, clock.now());
    await step(clock, other, plain.metric, { a: 90 });
    const t1 = await step(clock, other, plain.metric, { a: 75 });
    expect((await transitions(db, other)).at(-1)).toMatchObject({ to: 'resolved', at: t1 });
  });

  it('read the 1-minute rollups when the window is whole minutes, as the dashboards do', async () => {
    const clock = fakeClock();
    const c = metric({ windowSeconds: 300, fn: 'avg', by: [] });
    const id = await addRule(db, { condition: c }, clock.now());
    const slot = await nextEval(db, id);
    const minute = Math.floor(slot / MIN) * MIN;
    await push(db, [
      { name: c.metric, labels: { host: 'a' }, ts: minute - 2 * MIN, value: 100 },
      { name: c.metric, labels: { host: 'a' }, ts: minute - MIN, value: 90 },
    ]);
    // Raw samples alone are not read: the window needs its rollups (the 1-minute job builds them).
    await evalNext(db, clock, id);
    expect(await instances(db, id)).toEqual([expect.objectContaining({ state: 'nodata', reason: 'NoData' })]);
    const { rollupMinutes } = await import('../../src/services/metrics/rollups');
    await rollupMinutes(db.sql, new Date(minute - 10 * MIN), new Date(minute));
    await evalNext(db, clock, id);
    expect((await instances(db, id))[0]).toMatchObject({ state: 'firing', value: 95 });
  });

  it('apply the no-data policy when nothing answers, and the error policy when the query fails', async () => {
    const clock = fakeClock();
    const alerting = await addRule(db, { condition: metric(), noDataPolicy: 'Alerting' }, clock.now());
    const s0 = await evalNext(db, clock, alerting);
    expect(s0).toHaveLength(1);
    expect(brief(await transitions(db, alerting)).map((t) => [t.to, t.reason])).toEqual([
      ['pending', 'NoData'],
      ['firing', 'NoData'],
    ]);
    const bad = metric({ matchers: [{ label: 'host', op: '=~', value: '(' }] });
    const failing = await addRule(db, { condition: bad, errorPolicy: 'Error' }, clock.now());
    await evalNext(db, clock, failing);
    expect(await instances(db, failing)).toEqual([
      expect.objectContaining({ state: 'error', reason: 'Error', labels: { alertname: 'TestAlert' } }),
    ]);
    const [health] = await db.sql<{ health: string; lastError: string }[]>`
      select health, last_error as "lastError" from alert_rule_schedule where rule_id = ${failing}`;
    expect(health!.health).toBe('error');
    expect(health!.lastError).toMatch(/not a valid regular expression/);
  });

  it('keep a firing alert firing through query errors with KeepLast, refreshing its validity (R6)', async () => {
    const clock = fakeClock();
    const c = metric();
    const id = await addRule(db, { condition: c, errorPolicy: 'KeepLast' }, clock.now());
    await step(clock, id, c.metric, { a: 90 });
    const broken = { ...c, matchers: [{ label: 'host', op: '=~' as const, value: '(' }] };
    await db.sql`update alert_rules set condition = ${JSON.stringify(broken)}::jsonb where id = ${id}`;
    let last = 0;
    for (let i = 0; i < 3; i++) last = (await evalNext(db, clock, id))[0]!.slotMs;
    const [inst] = await instances(db, id);
    expect(inst).toMatchObject({ state: 'firing' });
    expect(inst!.endsAt!.getTime()).toBe(last + 4 * MIN);
    expect((await transitions(db, id)).map((t) => t.to)).toEqual(['pending', 'firing']);
  });
});

describe('absence and monitor rules', () => {
  it('absence fires with the equality matchers as labels while no sample is in the window, and resolves on one', async () => {
    const clock = fakeClock();
    const name = `job_done_${++metricNo}`;
    const condition = {
      kind: 'absence' as const,
      metric: name,
      matchers: [
        { label: 'job', op: '=' as const, value: 'backup' },
        { label: 'env', op: '=~' as const, value: 'p.*' },
      ],
      windowSeconds: 30,
    };
    const id = await addRule(db, { condition, name: 'BackupMissing' }, clock.now());
    const s0 = (await evalNext(db, clock, id))[0]!.slotMs;
    expect((await instances(db, id))[0]).toMatchObject({
      state: 'firing',
      labels: { alertname: 'BackupMissing', job: 'backup' },
    });
    const s1 = await nextEval(db, id);
    await push(db, [{ name, labels: { job: 'backup', env: 'prod' }, ts: s1 - 5_000, value: 1 }]);
    await evalNext(db, clock, id);
    expect(brief(await transitions(db, id)).map((t) => [t.to, t.at])).toEqual([
      ['pending', s0],
      ['firing', s0],
      ['resolved', s1],
    ]);
  });

  it('monitor fires after `runs` consecutive failures with service, environment and check labels; a check never run is no data', async () => {
    const clock = fakeClock();
    const [svc] = await db.sql<{ id: string }[]>`
      insert into services (name, slug) values ('Payments', 'payments') returning id`;
    const [env] = await db.sql<{ id: string }[]>`
      insert into environments (name, position) values ('PRO-T', 99) returning id`;
    const [check] = await db.sql<{ id: string }[]>`
      insert into checks (service_id, environment_id, name, kind, config, interval_seconds, phase_offset_ms, next_run_at)
      values (${svc!.id}, ${env!.id}, 'homepage', 'http', '{}', 60, 0, now()) returning id`;
    const condition = {
      kind: 'monitor' as const,
      target: { type: 'check' as const, id: check!.id },
      statuses: ['down' as const],
      runs: 2,
    };
    const id = await addRule(db, { condition, name: 'CheckDown', noDataPolicy: 'NoData' }, clock.now());
    await evalNext(db, clock, id);
    const [nodata] = await db.sql<
      { health: string }[]
    >`select health from alert_rule_schedule where rule_id = ${id}`;
    expect(nodata!.health).toBe('nodata');
    await db.sql`update checks set status = 'down', consecutive_failures = 1, last_run_at = now() where id = ${check!.id}`;
    await evalNext(db, clock, id);
    expect((await instances(db, id)).map((i) => i.state)).toEqual(['resolved']); // the NoData instance cleared
    await db.sql`update checks set consecutive_failures = 2 where id = ${check!.id}`;
    await evalNext(db, clock, id);
    const firing = (await instances(db, id)).find((i) => i.state === 'firing');
    expect(firing?.labels).toEqual({
      alertname: 'CheckDown',
      service: 'payments',
      environment: 'PRO-T',
      check: 'homepage',
    });
  });
});

describe('restarts and previews', () => {
  it('R8: a new engine over the same database neither re-fires nor forgets: pending 6 m, down 2 m, fires at activeAt + 10 m', async () => {
    const clock = fakeClock();
    const c = metric({ windowSeconds: 55 });
    const id = await addRule(db, { condition: c, forSeconds: 600 }, clock.now());
    const first = await nextEval(db, id);
    const keepHot = async (from: number, to: number) => {
      const pts = [];
      for (let t = from; t <= to; t += 30_000)
        pts.push({ name: c.metric, labels: { host: 'a' }, ts: t, value: 99 });
      await push(db, pts);
    };
    await keepHot(first - 60_000, first + 15 * MIN);
    for (let i = 0; i <= 6; i++) await evalNext(db, clock, id);
    await db.close();
    // The "restart": a new pool and a new engine owner, two minutes later; the missed slots are not replayed.
    db = createDatabase(url, { max: 6 });
    clock.set(first + 8 * MIN + 1_000);
    // It catches up from the slot it finds due (followingSlot), one slot per pass.
    const run = async () =>
      (
        await runDueRules(db.sql, { owner: 'restarted', clock: clock.now, limit: 100, concurrency: 1 })
      ).filter((r) => r.ruleId === id);
    expect((await run()).map((r) => r.slotMs)).toEqual([first + 7 * MIN]);
    expect((await run()).map((r) => r.slotMs)).toEqual([first + 8 * MIN]);
    expect(await run()).toEqual([]);
    await evalNext(db, clock, id);
    await evalNext(db, clock, id);
    const fired = brief(await transitions(db, id));
    expect(fired).toEqual([
      { from: 'inactive', to: 'pending', reason: 'ConditionMet', at: first },
      { from: 'pending', to: 'firing', reason: 'ForElapsed', at: first + 10 * MIN },
    ]);
    await evalNext(db, clock, id);
    expect((await transitions(db, id)).length).toBe(2);
  });

  it('previewRule answers what the engine would do, against the persisted instances, and writes nothing', async () => {
    const clock = fakeClock();
    const c = metric();
    const id = await addRule(db, { condition: c, forSeconds: 60 }, clock.now());
    const s0 = await step(clock, id, c.metric, { a: 90, b: 85 });
    const before = await transitions(db, id);
    const draft = {
      id,
      name: 'TestAlert',
      condition: c,
      forSeconds: 60,
      keepFiringForSeconds: 0,
      intervalSeconds: 60,
      labels: {},
      annotations: { summary: 'CPU high' },
      noDataPolicy: 'NoData' as const,
      errorPolicy: 'KeepLast' as const,
      seriesLimit: 0,
    };
    const preview = await previewRule(db.sql, draft, s0 + 20_000);
    expect(preview.outcome.kind).toBe('data');
    expect(preview.evaluation.transitions.map((t) => [t.labels.host, t.from, t.to])).toEqual([]);
    expect(preview.evaluation.instances.map((i) => i.state)).toEqual(['pending', 'pending']);
    const fresh = await previewRule(db.sql, { ...draft, id: null, forSeconds: 0 }, s0 + 10_000);
    expect(fresh.evaluation.transitions.map((t) => t.to)).toEqual(['pending', 'firing', 'pending', 'firing']);
    expect(fresh.annotations.map((a) => a.annotations)).toEqual([
      { summary: 'CPU high' },
      { summary: 'CPU high' },
    ]);
    expect(await transitions(db, id)).toEqual(before);
  });
});
