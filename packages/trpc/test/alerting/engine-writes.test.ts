import type { Database, MetricCondition } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESEND_DELAY_MS } from '../../src/services/alerting/rule-state';
import { addRule, engineDb, evalNext, fakeClock, nextEval, push, transitions } from './engine-fixture';

let db: Database;
beforeAll(async () => {
  ({ database: db } = await engineDb());
});
afterAll(async () => {
  await db?.close();
});

const SEC = 1_000;
let metricNo = 0;
const metric = (over: Partial<MetricCondition> = {}): MetricCondition => ({
  kind: 'metric',
  metric: `writes_${++metricNo}`,
  fn: 'max',
  matchers: [],
  by: ['host'],
  windowSeconds: 10,
  comparison: '>',
  threshold: 80,
  ...over,
});

interface Row {
  value: number;
  state: string;
  endsAt: Date;
  updatedAt: Date;
  annotations: Record<string, string>;
}

const row = async (ruleId: string) =>
  (
    await db.sql<Row[]>`
    select value, state, ends_at as "endsAt", updated_at as "updatedAt", annotations
    from alert_instances where rule_id = ${ruleId}`
  )[0]!;

/** Pushes host a's value 5 s before the rule's next slot and evaluates there; returns the slot. */
async function step(clock: ReturnType<typeof fakeClock>, ruleId: string, name: string, value: number) {
  const slot = await nextEval(db, ruleId);
  await push(db, [{ name, labels: { host: 'a' }, ts: slot - 5 * SEC, value }]);
  await evalNext(db, clock, ruleId);
  return slot;
}

describe('the engine writes an instance row only when it changed or is due a refresh (spec A2.7)', () => {
  it('refreshes a steady firing row once per resend delay, never letting endsAt come within 3 x max(interval, resend delay)', async () => {
    const clock = fakeClock();
    const c = metric();
    const id = await addRule(db, { condition: c, intervalSeconds: 15 }, clock.now());
    const s0 = await step(clock, id, c.metric, 90);
    const validity = 4 * RESEND_DELAY_MS;
    expect(await row(id)).toMatchObject({ state: 'firing', value: 90 });
    let written = s0;
    for (let i = 1; i <= 9; i++) {
      const slot = await step(clock, id, c.metric, 90 + i);
      const r = await row(id);
      if (slot - written >= RESEND_DELAY_MS) written = slot;
      // Unchanged for a resend delay: value and validity as last written, then both refreshed together.
      expect([r.updatedAt.getTime(), r.endsAt.getTime(), r.value]).toEqual([
        written,
        written + validity,
        90 + Math.round((written - s0) / (15 * SEC)),
      ]);
      expect(r.endsAt.getTime() - slot).toBeGreaterThanOrEqual(validity - RESEND_DELAY_MS);
    }
    expect(written).toBeGreaterThan(s0);
    // A state change is written at its own slot, whatever the refresh cadence.
    const s10 = await step(clock, id, c.metric, 10);
    expect(await row(id)).toMatchObject({ state: 'resolved', value: 10 });
    expect((await row(id)).endsAt.getTime()).toBe(s10);
    expect((await transitions(db, id)).map((t) => [t.to, t.at])).toEqual([
      ['pending', s0],
      ['firing', s0],
      ['resolved', s10],
    ]);
  });

  it("rewrites the rows at the next evaluation when the rule's annotations change", async () => {
    const clock = fakeClock();
    const c = metric();
    const id = await addRule(
      db,
      { condition: c, intervalSeconds: 15, annotations: { summary: 'hot' } },
      clock.now(),
    );
    await step(clock, id, c.metric, 90);
    await step(clock, id, c.metric, 91);
    expect((await row(id)).annotations).toEqual({ summary: 'hot' });
    await db.sql`update alert_rules set annotations = ${JSON.stringify({ summary: 'very hot' })}::jsonb
      where id = ${id}`;
    const slot = await step(clock, id, c.metric, 92);
    expect(await row(id)).toMatchObject({ annotations: { summary: 'very hot' }, value: 92 });
    expect((await row(id)).updatedAt.getTime()).toBe(slot);
  });
});
