import { describe, expect, it } from 'vitest';
import { alertLabels, fingerprint } from '../../src/services/alerting/fingerprint';
import {
  type AlertInstance,
  alertWindow,
  type Evaluation,
  evaluateRule,
  type Outcome,
  type RuleSettings,
  type SeriesResult,
} from '../../src/services/alerting/rule-state';
import { base, data, error, m, noData, series, T0 } from './rule-fixtures';

/** Runs outcomes at minute marks on a fake clock; instances pass through JSON as they would through a table row. */
const timeline = (
  settings: RuleSettings,
  steps: [minute: number, outcome: Outcome][],
  start: AlertInstance[] = [],
) => {
  let instances = start;
  const at = new Map<number, Evaluation>();
  for (const [minute, outcome] of steps) {
    const result = evaluateRule(settings, JSON.parse(JSON.stringify(instances)), outcome, T0 + minute * m);
    at.set(minute, result);
    instances = result.instances;
  }
  const stateAt = (minute: number, labels: Record<string, string> = { instance: 'a' }) => {
    const fp = fingerprint(alertLabels(labels, settings.labels, settings.alertname));
    return at.get(minute)!.instances.find((i) => i.fingerprint === fp)?.state ?? 'inactive';
  };
  return { at, stateAt, instances: () => instances };
};
const minutes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('rule evaluation decision tables (spec Part B, R1-R8)', () => {
  it('R1 for=5m, true from 0 -> pending 0..4m, firing at 5m', () => {
    const run = timeline(
      { ...base, forMs: 5 * m },
      minutes(0, 6).map((t) => [t, data(series(80))]),
    );
    expect(minutes(0, 6).map((t) => run.stateAt(t))).toEqual([
      ...Array(5).fill('pending'),
      'firing',
      'firing',
    ]);
    const fired = run.at.get(5)!.instances[0]!;
    expect([fired.activeAt, fired.firedAt]).toEqual([T0, T0 + 5 * m]);
    expect(run.at.get(5)!.transitions).toMatchObject([
      { from: 'pending', to: 'firing', reason: 'ForElapsed' },
    ]);
  });

  it('R2 for=0 -> firing at the first evaluation', () => {
    const run = timeline(base, [[0, data(series(80))]]);
    expect(run.stateAt(0)).toBe('firing');
    expect(run.at.get(0)!.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'inactive->pending',
      'pending->firing',
    ]);
  });

  it('R3 Pending, false at 2m -> instance dropped, no notification, no resolve; true again at 3m -> fires at 8m', () => {
    const steps: [number, Outcome][] = minutes(0, 9).map((t) => [t, data(series(t === 2 ? 10 : 80))]);
    const run = timeline({ ...base, forMs: 5 * m }, steps);
    expect(minutes(0, 9).map((t) => run.stateAt(t))).toEqual([
      'pending',
      'pending',
      'inactive',
      ...Array(5).fill('pending'),
      'firing',
      'firing',
    ]);
    expect(run.at.get(2)!.transitions).toMatchObject([
      { from: 'pending', to: 'inactive', reason: 'ConditionCleared' },
    ]);
    expect(run.at.get(3)!.instances[0]!.activeAt).toBe(T0 + 3 * m);
  });

  it('R4 keep_firing_for=1m, for=1m, values 75 85 70 70 10 10 vs threshold 50 -> pending 0, firing 1m..3m, recovering 4m, resolved 5m', () => {
    const values = [75, 85, 70, 70, 10, 10];
    const run = timeline(
      { ...base, forMs: m, keepFiringForMs: m },
      values.map((v, t) => [t, data(series(v))]),
    );
    expect(minutes(0, 5).map((t) => run.stateAt(t))).toEqual([
      'pending',
      'firing',
      'firing',
      'firing',
      'recovering',
      'resolved',
    ]);
    const resolved = run.at.get(5)!;
    expect(resolved.transitions).toMatchObject([{ to: 'resolved', reason: 'KeepFiringElapsed', value: 10 }]);
    expect(resolved.instances[0]).toMatchObject({ firedAt: T0 + m, resolvedAt: T0 + 5 * m });
  });

  it('R5 keep_firing_for does not apply to pending: 75 then 10 -> pending at 0, gone at 1m', () => {
    const run = timeline({ ...base, forMs: 5 * m, keepFiringForMs: 10 * m }, [
      [0, data(series(75))],
      [1, data(series(10))],
    ]);
    expect([run.stateAt(0), run.stateAt(1)]).toEqual(['pending', 'inactive']);
    expect(run.at.get(1)!.transitions.map((t) => t.to)).toEqual(['inactive']);
  });

  it('R6 Query error for 10 minutes while firing -> stays firing, rule health error, no false resolve', () => {
    const steps: [number, Outcome][] = [
      [0, data(series(80))],
      ...minutes(1, 10).map((t): [number, Outcome] => [t, error]),
    ];
    const run = timeline(base, [...steps, [11, data(series(80))]]);
    for (const t of minutes(1, 10)) {
      expect(run.stateAt(t)).toBe('firing');
      expect(run.at.get(t)).toMatchObject({ health: 'error', error: 'query timeout', transitions: [] });
    }
    expect(run.at.get(11)).toMatchObject({ health: 'ok', transitions: [] });
    expect(run.at.get(11)!.instances[0]!.firedAt).toBe(T0);
  });

  it('R7 NoData policy: KeepLast keeps Firing; NoData moves to NoData with reason; Normal resolves; a series vanishing while others remain resolves after 2 missed evaluations with reason MissingSeries', () => {
    const policy = (p: RuleSettings['noData']) =>
      timeline({ ...base, noData: p }, [
        [0, data(series(80))],
        [1, noData],
      ]);
    expect(policy('KeepLast').stateAt(1)).toBe('firing');
    expect(policy('KeepLast').at.get(1)).toMatchObject({ health: 'nodata', transitions: [] });
    expect(policy('NoData').at.get(1)!.transitions).toMatchObject([
      { from: 'firing', to: 'nodata', reason: 'NoData' },
    ]);
    expect(policy('Normal').at.get(1)!.transitions).toMatchObject([
      { from: 'firing', to: 'resolved', reason: 'NoData' },
    ]);

    const b = { instance: 'b' };
    const run = timeline(base, [
      [0, data(series(80), series(80, b))],
      [1, data(series(80))],
      [2, data(series(80))],
    ]);
    expect([run.stateAt(1, b), run.stateAt(2, b)]).toEqual(['firing', 'resolved']);
    expect(run.at.get(2)!.transitions).toMatchObject([
      { labels: { instance: 'b' }, from: 'firing', to: 'resolved', reason: 'MissingSeries' },
    ]);
  });

  it('R8 Restart mid-pending (for=10m, pending 6m, down 2m): persisted activeAt -> fires at original activeAt + 10m', () => {
    const settings = { ...base, forMs: 10 * m };
    const before = timeline(
      settings,
      minutes(0, 6).map((t) => [t, data(series(80))]),
    );
    // Down 7m..8m: no evaluations; a new process resumes at 9m from the persisted rows only.
    const after = timeline(
      settings,
      minutes(9, 11).map((t) => [t, data(series(80))]),
      before.instances(),
    );
    expect([after.stateAt(9), after.stateAt(10), after.stateAt(11)]).toEqual(['pending', 'firing', 'firing']);
    expect(after.at.get(10)!.instances[0]).toMatchObject({ activeAt: T0, firedAt: T0 + 10 * m });
  });
});

describe('further rules of spec A2', () => {
  it('A2.5 raising `for` above the elapsed time sends a firing instance back to pending and clears firedAt', () => {
    const run = timeline(base, [[0, data(series(80))]]);
    const next = evaluateRule({ ...base, forMs: 5 * m }, run.instances(), data(series(80)), T0 + m);
    expect(next.transitions).toMatchObject([{ from: 'firing', to: 'pending', reason: 'ForIncreased' }]);
    expect(next.instances[0]).toMatchObject({ state: 'pending', firedAt: null, activeAt: T0 });
  });

  it('A2.6 a resolved instance is kept 15 minutes, then evicted; reappearing starts a new activeAt', () => {
    const run = timeline(base, [
      [0, data(series(80))],
      [1, data(series(10))],
      [15, data(series(10))],
      [16, data(series(10))],
    ]);
    expect([run.stateAt(1), run.stateAt(15), run.stateAt(16)]).toEqual(['resolved', 'resolved', 'inactive']);
    expect(run.at.get(16)!.transitions).toMatchObject([
      { from: 'resolved', to: 'inactive', reason: 'RetentionElapsed' },
    ]);
    const again = timeline({ ...base, forMs: 2 * m }, [
      [0, data(series(80))],
      [2, data(series(80))],
      [3, data(series(10))],
      [4, data(series(80))],
    ]);
    expect([again.stateAt(2), again.stateAt(3)]).toEqual(['firing', 'resolved']);
    expect(again.at.get(4)!.transitions).toMatchObject([{ from: 'resolved', to: 'pending' }]);
    expect(again.at.get(4)!.instances[0]).toMatchObject({
      state: 'pending',
      activeAt: T0 + 4 * m,
      firedAt: null,
      resolvedAt: null,
    });
  });

  it('A2.7 pending is never sent; firing is valid for 4 x max(interval, 1m); resolved ends at resolvedAt', () => {
    const run = timeline({ ...base, forMs: m }, [
      [0, data(series(80))],
      [1, data(series(80))],
      [2, data(series(10))],
    ]);
    expect(alertWindow(run.at.get(0)!.instances[0]!, T0, 15_000)).toBeNull();
    expect(alertWindow(run.at.get(1)!.instances[0]!, T0 + m, 15_000)).toEqual({
      startsAt: T0 + m,
      endsAt: T0 + 5 * m,
    });
    expect(alertWindow(run.at.get(1)!.instances[0]!, T0 + m, 2 * m)!.endsAt).toBe(T0 + 9 * m);
    expect(alertWindow(run.at.get(2)!.instances[0]!, T0 + 2 * m, 15_000)).toEqual({
      startsAt: T0 + m,
      endsAt: T0 + 2 * m,
    });
  });

  it('A2.2 two series with the same alert labels fail the evaluation without touching instances', () => {
    const run = timeline(base, [
      [0, data(series(80))],
      [1, data(series(90), { labels: { instance: 'a', __name__: 'x' }, value: 1, alerting: false })],
    ]);
    expect(run.at.get(1)).toMatchObject({ health: 'error', transitions: [] });
    expect(run.at.get(1)!.error).toMatch(/same alert labels/);
    expect(run.stateAt(1)).toBe('firing');
  });

  it('A2.10 more alerting series than the limit is an evaluation error naming the count', () => {
    const run = timeline({ ...base, limit: 1 }, [[0, data(series(80), series(80, { instance: 'b' }))]]);
    expect(run.at.get(0)!.error).toBe("2 alerting series exceed the rule's limit of 1");
    expect(run.at.get(0)!.instances).toEqual([]);
  });

  it('A2.11 no data with policy Alerting and no instance raises the rule-level instance and honours `for`', () => {
    const run = timeline(
      { ...base, noData: 'Alerting', forMs: 2 * m },
      minutes(0, 2).map((t) => [t, noData]),
    );
    expect(minutes(0, 2).map((t) => run.stateAt(t, {}))).toEqual(['pending', 'pending', 'firing']);
    expect(run.at.get(2)!.transitions).toMatchObject([{ to: 'firing', reason: 'NoData' }]);
  });

  it('A2.11 error policy Error moves instances to error; data returning fires again without a new `for` wait', () => {
    const run = timeline({ ...base, onError: 'Error', forMs: m }, [
      [0, data(series(80))],
      [1, data(series(80))],
      [2, error],
      [3, data(series(80))],
    ]);
    expect([run.stateAt(2), run.stateAt(3)]).toEqual(['error', 'firing']);
    expect(run.at.get(3)!.instances[0]!.firedAt).toBe(T0 + m);
  });

  it('hysteresis: between the resolve and fire thresholds a firing instance holds, below the resolve threshold it resolves', () => {
    const band = (value: number): SeriesResult => ({
      labels: { instance: 'a' },
      value,
      alerting: value > 50,
      cleared: value < 40,
    });
    const run = timeline(base, [
      [0, data(band(60))],
      [1, data(band(45))],
      [2, data(band(45))],
      [3, data(band(30))],
    ]);
    expect(minutes(0, 3).map((t) => run.stateAt(t))).toEqual(['firing', 'firing', 'firing', 'resolved']);
    const fresh = timeline(base, [[0, data(band(45))]]);
    expect(fresh.stateAt(0)).toBe('inactive');
  });
});
