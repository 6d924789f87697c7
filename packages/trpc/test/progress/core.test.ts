import { describe, expect, it } from 'vitest';
import {
  burnUp,
  type HealthInput,
  healthOf,
  type ItemFacts,
  milestoneBreakdown,
  percentagesOf,
  predict,
  type SnapshotPoint,
  type Totals,
  totalsOf,
} from '../../src/services/progress/core';

const items = (n: number, status: ItemFacts['status'], estimate: number | null): ItemFacts[] =>
  Array.from({ length: n }, () => ({ status, estimate }));

const snap = (day: string, donePoints: number, scopePoints = 58): SnapshotPoint => ({
  day,
  scopeCount: 10,
  doneCount: 0,
  scopePoints,
  donePoints,
  unestimatedCount: 0,
});

describe('progress percentages (requirement 16)', () => {
  it('10 small done + 2 large open: 83 % by count, 40 % by estimate (issue 17 acceptance)', () => {
    const t = totalsOf([...items(10, 'done', 2), ...items(2, 'todo', 15)], 1);
    expect(t).toEqual({
      scopeCount: 12,
      doneCount: 10,
      scopePoints: 50,
      donePoints: 20,
      unestimatedCount: 0,
    });
    expect(percentagesOf(t)).toEqual({ byCount: 83, byEstimate: 40 });
  });

  it('un-estimated items count the project default estimate; cancelled items leave the scope', () => {
    const t = totalsOf(
      [...items(2, 'done', null), ...items(1, 'in_progress', 4), ...items(5, 'cancelled', 100)],
      3,
    );
    expect(t).toEqual({ scopeCount: 3, doneCount: 2, scopePoints: 10, donePoints: 6, unestimatedCount: 2 });
    expect(percentagesOf(t)).toEqual({ byCount: 66, byEstimate: 60 });
  });

  it('rounds down: 199 of 200 done is 99 %, never 100 % with work open', () => {
    expect(percentagesOf(totalsOf([...items(199, 'done', 1), ...items(1, 'todo', 1)], 1)).byCount).toBe(99);
  });

  it('an empty scope is 0 %, not a division by zero', () => {
    expect(percentagesOf(totalsOf(items(3, 'cancelled', 1), 1))).toEqual({ byCount: 0, byEstimate: 0 });
  });
});

describe('predicted completion with a range (issue 17 point 2)', () => {
  const today = '2026-06-22';
  const current: Totals = {
    scopeCount: 20,
    doneCount: 10,
    scopePoints: 58,
    donePoints: 28,
    unestimatedCount: 0,
  };
  const history = [snap('2026-06-01', 10), snap('2026-06-08', 13), snap('2026-06-15', 19)];

  it('range comes from the spread of the 3 weekly throughputs, not ±10 % of one average', () => {
    const p = predict(history, today, current);
    expect(p.weekly).toEqual([3, 6, 9]);
    expect(p.perWeek).toBe(6);
    expect(p.remaining).toBe(30);
    expect(p.date).toBe('2026-07-27'); // 30 / 6 per week = 35 days
    expect(p.earliest).toBe('2026-07-16'); // 30 / 9 per week = 23.3 → 24 days
    expect(p.latest).toBe('2026-08-31'); // 30 / 3 per week = 70 days
  });

  it('a week with no completions leaves the latest date open; no throughput at all predicts nothing', () => {
    const idle = predict(
      [snap('2026-06-01', 10), snap('2026-06-08', 10), snap('2026-06-15', 19)],
      today,
      current,
    );
    expect(idle.weekly).toEqual([0, 9, 9]);
    expect(idle.date).toBe('2026-07-27');
    expect(idle.latest).toBeNull();
    const none = predict([snap('2026-06-01', 28)], today, current);
    expect(none).toMatchObject({ date: null, earliest: null, latest: null, perWeek: 0 });
  });

  it('the burn-up keeps past snapshots and ends with today from live figures (scope line shows creep)', () => {
    const b = burnUp(
      [snap('2026-06-20', 20, 40), snap('2026-06-21', 22, 50)],
      today,
      current,
      '2026-08-01',
      null,
    );
    expect(b.points.map((p) => [p.day, p.scope, p.done])).toEqual([
      ['2026-06-20', 40, 20],
      ['2026-06-21', 50, 22],
      [today, 58, 28],
    ]);
  });
});

describe('health rules name themselves (requirement 17)', () => {
  // On track: half the time elapsed, half done, recent completion, prediction before target.
  const base: HealthInput = {
    today: '2026-06-15',
    startDate: '2026-06-01',
    targetDate: '2026-06-29',
    totals: { scopeCount: 10, doneCount: 5, scopePoints: 10, donePoints: 5, unestimatedCount: 0 },
    predictedDate: '2026-06-28',
    lastDoneDay: '2026-06-14',
    riskGapPercent: 20,
    stallDays: 14,
  };
  const fired = (over: Partial<HealthInput>) => healthOf({ ...base, ...over });

  it('no rule fires: on_track', () => {
    expect(fired({})).toEqual({ health: 'on_track', rules: [], elapsedPercent: 50 });
  });

  it('target_passed: off_track when the target date passed with work open', () => {
    const h = fired({
      today: '2026-06-30',
      lastDoneDay: '2026-06-29',
      predictedDate: '2026-06-29',
      totals: { ...base.totals, doneCount: 9, donePoints: 9 },
    });
    expect(h.health).toBe('off_track');
    expect(h.rules.map((r) => r.id)).toEqual(['target_passed']);
    expect(h.rules[0]!.text).toContain('2026-06-29');
  });

  it('predicted_after_target: at_risk when the prediction lands after the target', () => {
    const h = fired({ predictedDate: '2026-07-10' });
    expect(h.health).toBe('at_risk');
    expect(h.rules.map((r) => r.id)).toEqual(['predicted_after_target']);
    expect(h.rules[0]!.text).toContain('2026-07-10');
  });

  it('behind_schedule: at_risk when elapsed % − done % exceeds riskGapPercent', () => {
    const h = fired({ totals: { ...base.totals, doneCount: 2, donePoints: 2 } });
    expect(h.health).toBe('at_risk');
    expect(h.rules.map((r) => r.id)).toEqual(['behind_schedule']);
    expect(h.rules[0]!.text).toContain('50%');
    // A wider project setting tolerates the same gap.
    expect(
      fired({ totals: { ...base.totals, doneCount: 2, donePoints: 2 }, riskGapPercent: 30 }).health,
    ).toBe('on_track');
  });

  it('stalled: at_risk when nothing completed for stallDays with work open', () => {
    const h = fired({ lastDoneDay: '2026-06-01', stallDays: 14 });
    expect(h.health).toBe('at_risk');
    expect(h.rules.map((r) => r.id)).toEqual(['stalled']);
    expect(h.rules[0]!.text).toContain('14 days');
    expect(fired({ lastDoneDay: '2026-06-02', stallDays: 14 }).health).toBe('on_track');
  });

  it('no open work: nothing fires even past the target', () => {
    const done = { scopeCount: 10, doneCount: 10, scopePoints: 10, donePoints: 10, unestimatedCount: 0 };
    expect(fired({ today: '2026-08-01', totals: done, lastDoneDay: '2026-06-01' }).health).toBe('on_track');
  });
});

describe('milestone breakdown and at-risk list (issue 17 point 3)', () => {
  const t = (scopePoints: number, donePoints: number): Totals => ({
    scopeCount: scopePoints,
    doneCount: donePoints,
    scopePoints,
    donePoints,
    unestimatedCount: 0,
  });
  const ms = [
    { id: 'b', name: 'GA', dueDate: '2026-07-20', position: 1 },
    { id: 'a', name: 'Beta', dueDate: '2026-07-05', position: 0 },
    { id: 'c', name: 'Done', dueDate: '2026-06-01', position: 2 },
  ];
  const totals: Record<string, Totals> = { a: t(10, 5), b: t(10, 0), c: t(4, 4) };

  it('predicts each milestone from the open points up to it and flags the ones predicted after their due date', () => {
    // 5 points a week: Beta's 5 open points take 7 days, GA's 15 (its 10 after Beta's 5) take 21.
    const r = milestoneBreakdown(ms, (id) => totals[id]!, 5, '2026-06-22');
    expect(r.map((m) => [m.id, m.open, m.predictedDate, m.risk?.id ?? null])).toEqual([
      ['a', true, '2026-06-29', null],
      ['b', true, '2026-07-13', null],
      ['c', false, null, null],
    ]);
    // 3 points a week: Beta in 12 days (07-04, before its due date), GA in 35 (07-27, after).
    const slow = milestoneBreakdown(ms, (id) => totals[id]!, 3, '2026-06-22');
    expect(slow.map((m) => m.risk?.id ?? null)).toEqual([null, 'predicted_after_due', null]);
    expect(slow[1]!.risk!.text).toContain('2026-07-27');
  });

  it('an open milestone past its due date is due_passed, a later one predicted late is flagged, a finished one never', () => {
    const r = milestoneBreakdown(ms, (id) => totals[id]!, 5, '2026-07-06');
    expect(r.map((m) => m.risk?.id ?? null)).toEqual(['due_passed', 'predicted_after_due', null]);
  });
});
