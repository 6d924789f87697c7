import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import type { Constraint } from '../src/schema';
import { flag } from './fixtures';

type C = Partial<Constraint> & Pick<Constraint, 'contextName' | 'operator'>;
const NOW = Date.parse('2026-12-01T12:00:00Z');

/** Whether a single-constraint flag is on for `context` (the clock is fixed at NOW). */
function holds(constraint: C, context: Record<string, unknown>): boolean {
  const f = flag({ strategies: [{ type: 'default', constraints: [constraint] }] });
  return evaluate(f.key, f, 'boolean', false, context, { now: () => NOW }).value;
}

/** Each row: constraint, a context it matches, a context it does not, a context whose value cannot be coerced. */
const rows: [C, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>][] = [
  [
    { contextName: 'plan', operator: 'STR_CONTAINS', values: ['ent'] },
    { plan: 'enterprise' },
    { plan: 'pro' },
    { plan: {} },
  ],
  [
    { contextName: 'email', operator: 'STR_STARTS_WITH', values: ['ops@', 'sre@'] },
    { email: 'sre@x.io' },
    { email: 'me@x.io' },
    {},
  ],
  [
    { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@x.io'] },
    { email: 'a@x.io' },
    { email: 'a@y.io' },
    { email: null },
  ],
  [{ contextName: 'age', operator: 'NUM_EQ', value: '30' }, { age: 30 }, { age: '31' }, { age: 'thirty' }],
  [{ contextName: 'age', operator: 'NUM_GT', value: '30' }, { age: '30.5' }, { age: 30 }, { age: '' }],
  [{ contextName: 'age', operator: 'NUM_GTE', value: '30' }, { age: 30 }, { age: 29 }, { age: true }],
  [
    { contextName: 'age', operator: 'NUM_LT', value: '-1.5e1' },
    { age: -16 },
    { age: -15 },
    { age: Number.NaN },
  ],
  [{ contextName: 'age', operator: 'NUM_LTE', value: '10' }, { age: '10' }, { age: 11 }, {}],
  [
    { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2026-11-30T00:00:00Z' },
    {},
    { currentTime: '2026-11-01T00:00:00Z' },
    { currentTime: 'yesterday' },
  ],
  [
    { contextName: 'currentTime', operator: 'DATE_BEFORE', value: '2026-12-02T00:00:00+01:00' },
    { currentTime: new Date('2026-12-01T00:00:00Z') },
    { currentTime: '2026-12-03T00:00:00Z' },
    { currentTime: new Date('x') },
  ],
  [
    { contextName: 'appVersion', operator: 'SEMVER_EQ', value: '1.2.3' },
    { appVersion: '1.2.3+build.7' },
    { appVersion: '1.2.4' },
    { appVersion: 'v1.2.3' },
  ],
  [
    { contextName: 'appVersion', operator: 'SEMVER_GT', value: '1.2.3-rc.1' },
    { appVersion: '1.2.3' },
    { appVersion: '1.2.3-beta.9' },
    { appVersion: '1.2' },
  ],
  [
    { contextName: 'appVersion', operator: 'SEMVER_LT', value: '2.0.0' },
    { appVersion: '1.10.0' },
    { appVersion: '2.0.0' },
    { appVersion: 123 },
  ],
];

describe('constraint operators (spec B1)', () => {
  for (const [constraint, yes, no, garbage] of rows) {
    it(`${constraint.operator}: matches, misses, inverts, and a failed coercion is false even when inverted`, () => {
      expect(holds(constraint, yes)).toBe(true);
      expect(holds(constraint, no)).toBe(false);
      expect(holds({ ...constraint, inverted: true }, yes)).toBe(false);
      expect(holds({ ...constraint, inverted: true }, no)).toBe(true);
      expect(holds(constraint, garbage)).toBe(false);
      expect(holds({ ...constraint, inverted: true }, garbage)).toBe(false);
    });
  }

  it('IN / NOT_IN compare text (numbers and booleans printed); an absent value is simply "not in"', () => {
    const inList: C = { contextName: 'region', operator: 'IN', values: [' eu-1 ', 'us-2', '42', 'true'] };
    expect(holds(inList, { region: 'eu-1' })).toBe(true);
    expect(holds(inList, { region: 42 })).toBe(true);
    expect(holds(inList, { region: true })).toBe(true);
    expect(holds(inList, { region: 'EU-1' })).toBe(false);
    expect(holds(inList, {})).toBe(false);
    expect(holds({ ...inList, inverted: true }, {})).toBe(true);
    const notIn: C = { contextName: 'region', operator: 'NOT_IN', values: ['eu-1'] };
    expect(holds(notIn, { region: 'us-2' })).toBe(true);
    expect(holds(notIn, { region: 'eu-1' })).toBe(false);
    expect(holds(notIn, {})).toBe(true);
    expect(holds({ ...notIn, inverted: true }, { region: 'eu-1' })).toBe(true);
  });

  it('caseInsensitive lowers both sides of STR_* operators only', () => {
    const c: C = { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@Corp.COM'] };
    expect(holds(c, { email: 'a@corp.com' })).toBe(false);
    expect(holds({ ...c, caseInsensitive: true }, { email: 'A@CORP.com' })).toBe(true);
  });

  it('DATE_* on currentTime uses the injected clock when the context has no currentTime', () => {
    const after: C = { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2026-12-01T12:00:00Z' };
    expect(holds(after, {})).toBe(false); // NOW equals the boundary: after is strict
    expect(holds(after, { currentTime: NOW + 1 })).toBe(true);
    expect(
      holds({ contextName: 'signupAt', operator: 'DATE_BEFORE', value: '2026-01-01T00:00:00Z' }, {}),
    ).toBe(false);
  });

  it('semver orders pre-releases by identifier and below their release', () => {
    const order = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 1; i < order.length; i++) {
      expect(
        holds({ contextName: 'v', operator: 'SEMVER_GT', value: order[i - 1]! }, { v: order[i] }),
        order[i],
      ).toBe(true);
      expect(
        holds({ contextName: 'v', operator: 'SEMVER_LT', value: order[i]! }, { v: order[i - 1] }),
        order[i],
      ).toBe(true);
    }
  });

  it('all constraints of a strategy must hold (AND)', () => {
    const f = flag({
      strategies: [
        {
          type: 'default',
          constraints: [
            { contextName: 'plan', operator: 'IN', values: ['pro'] },
            { contextName: 'age', operator: 'NUM_GTE', value: '18' },
            { contextName: 'appVersion', operator: 'SEMVER_GT', value: '2.0.0' },
          ],
        },
      ],
    });
    const ctx = { plan: 'pro', age: 20, appVersion: '2.1.0' };
    expect(evaluate(f.key, f, 'boolean', false, ctx).value).toBe(true);
    expect(evaluate(f.key, f, 'boolean', false, { ...ctx, age: 17 }).value).toBe(false);
    expect(evaluate(f.key, f, 'boolean', false, { ...ctx, appVersion: '2.0.0' }).value).toBe(false);
  });
});
