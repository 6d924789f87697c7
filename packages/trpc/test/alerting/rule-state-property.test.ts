import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/services/alerting/fingerprint';
import {
  type AlertInstance,
  evaluateRule,
  type Outcome,
  type RuleSettings,
} from '../../src/services/alerting/rule-state';
import { base, data, error, m, noData, series, T0 } from './rule-fixtures';

/** Deterministic PRNG so a failing sequence can be replayed from its seed. */
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
/** Every transition the state machine may take (from -> to); anything else is a bug. */
const LEGAL = new Set(
  [
    'inactive->{pending,nodata,error}',
    'resolved->{pending,inactive,nodata,error}',
    'pending->{firing,inactive,nodata,error}',
    'firing->{recovering,resolved,pending,nodata,error}',
    'recovering->{firing,resolved,nodata,error}',
    'nodata->{firing,pending,resolved,error}',
    'error->{firing,pending,resolved,nodata}',
  ].flatMap((entry) => {
    const [from, to] = entry.split('->') as [string, string];
    return to
      .slice(1, -1)
      .split(',')
      .map((target) => `${from}->${target}`);
  }),
);

describe('property: no sequence of outcomes produces an illegal transition', () => {
  it('holds over 300 random rules x 60 random evaluations, and the runs reach every legal transition', () => {
    const seen = new Set<string>();
    const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    for (let seed = 1; seed <= 300; seed++) {
      const r = prng(seed);
      let settings: RuleSettings = {
        ...base,
        forMs: pick(r, [0, 1, 2, 5]) * m,
        keepFiringForMs: pick(r, [0, 1, 3]) * m,
        noData: pick(r, ['Alerting', 'NoData', 'Normal', 'KeepLast'] as const),
        onError: pick(r, ['Alerting', 'Error', 'Normal', 'KeepLast'] as const),
        missingSeriesEvals: pick(r, [1, 2, 3]),
        resolvedRetentionMs: pick(r, [1, 15]) * m,
      };
      let instances: AlertInstance[] = [];
      let now = T0;
      for (let step = 0; step < 60; step++) {
        now += pick(r, [1, 1, 1, 2, 7]) * m;
        // An edited rule (spec A2.5): `for` may change between evaluations.
        if (r() < 0.05) settings = { ...settings, forMs: pick(r, [0, 1, 2, 5]) * m };
        const roll = r();
        const outcome: Outcome =
          roll < 0.1
            ? error
            : roll < 0.2
              ? noData
              : data(
                  ...['a', 'b', 'c']
                    .filter(() => r() < 0.7)
                    .map((i) => series(pick(r, [10, 45, 80]), { instance: i })),
                );
        const before = new Map(instances.map((i) => [i.fingerprint, i]));
        const result = evaluateRule(settings, instances, outcome, now);
        const where = `seed ${seed} step ${step}`;
        const current = new Map([...before].map(([fp, i]) => [fp, i.state as string]));
        for (const t of result.transitions) {
          expect(LEGAL.has(`${t.from}->${t.to}`), `${where}: ${t.from}->${t.to}`).toBe(true);
          expect(t.from, `${where}: chained from`).toBe(current.get(t.fingerprint) ?? 'inactive');
          current.set(t.fingerprint, t.to);
        }
        const after = new Map(result.instances.map((i) => [i.fingerprint, i]));
        expect(after.size, where).toBe(result.instances.length);
        for (const fp of after.keys()) expect(current.has(fp), `${where}: unrecorded creation`).toBe(true);
        for (const [fp, state] of current)
          expect(after.get(fp)?.state ?? 'inactive', `${where}: unrecorded change`).toBe(state);
        for (const inst of result.instances) {
          const old = before.get(inst.fingerprint);
          expect(inst.fingerprint, where).toBe(fingerprint(inst.labels));
          if (inst.state === 'firing' || inst.state === 'recovering') {
            expect(inst.firedAt! - inst.activeAt, `${where}: firedAt before activeAt`).toBeGreaterThanOrEqual(
              0,
            );
          }
          if (inst.firedAt === now && inst.state === 'firing') {
            expect(now - inst.activeAt, `${where}: fired before for`).toBeGreaterThanOrEqual(settings.forMs);
          }
          if (inst.state !== 'resolved' && (!old || old.state === 'resolved'))
            expect(inst.activeAt, `${where}: reborn activeAt`).toBe(now);
          if (old && old.state !== 'resolved' && inst.state !== 'resolved')
            expect(inst.activeAt, `${where}: activeAt kept`).toBe(old.activeAt);
          if (inst.state === 'resolved') expect(inst.resolvedAt, where).not.toBeNull();
          if (outcome.kind === 'error' && settings.onError === 'KeepLast' && old)
            expect(inst, `${where}: frozen`).toEqual(old);
        }
        instances = result.instances;
        for (const t of result.transitions) seen.add(`${t.from}->${t.to}`);
      }
    }
    expect([...LEGAL].filter((t) => !seen.has(t))).toEqual([]);
  });
});
