import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import type { FlagConfigInput } from '../src/schema';
import { flag, sequence } from './fixtures';

function rollout(key: string, percentage: number, extra: Record<string, unknown> = {}): FlagConfigInput {
  return flag({ key, strategies: [{ type: 'gradualRollout', percentage, ...extra }] });
}

const on = (f: FlagConfigInput, context: Record<string, unknown>, random?: () => number) =>
  evaluate(f.key, f, 'boolean', false, context, { random }).value;

describe('gradual rollout (requirement 9)', () => {
  it('rollout 10 is on for userId 174 (bucket 10) and off for 499 (bucket 32), both SPLIT decisions', () => {
    const f = rollout('Feature.flexibleRollout.10', 10);
    expect(evaluate(f.key, f, 'boolean', false, { userId: '174' })).toMatchObject({
      value: true,
      reason: 'SPLIT',
    });
    expect(evaluate(f.key, f, 'boolean', false, { userId: '499' })).toMatchObject({
      value: false,
      reason: 'SPLIT',
    });
    expect(on(rollout('Feature.flexibleRollout.10', 31), { userId: '499' })).toBe(false);
    expect(on(rollout('Feature.flexibleRollout.10', 32), { userId: '499' })).toBe(true);
  });

  it('stickiness userId: "userId.55:25" is bucket 55, so on at 55 % and off at 54 %', () => {
    const key = 'Feature.flexibleRollout.userId.55';
    expect(on(rollout(key, 55, { stickiness: 'userId' }), { userId: '25' })).toBe(true);
    expect(on(rollout(key, 54, { stickiness: 'userId' }), { userId: '25' })).toBe(false);
  });

  it('default stickiness falls back to sessionId: "sessionId.42:147" is bucket 42', () => {
    const key = 'Feature.flexibleRollout.sessionId.42';
    expect(on(rollout(key, 42), { sessionId: '147' })).toBe(true);
    expect(on(rollout(key, 41), { sessionId: '147' })).toBe(false);
  });

  it("OpenFeature's targetingKey stands in for userId; userId wins when both are given", () => {
    const f = rollout('Feature.flexibleRollout.10', 10);
    expect(on(f, { targetingKey: '174' })).toBe(true);
    expect(on(f, { targetingKey: '174', userId: '499' })).toBe(false);
  });

  it('groupId defaults to the flag key; another groupId reshuffles users', () => {
    const implicit = rollout('Feature.flexibleRollout.10', 10);
    const explicit = rollout('Feature.flexibleRollout.10', 10, { groupId: 'Feature.flexibleRollout.10' });
    const other = rollout('Feature.flexibleRollout.10', 10, { groupId: 'checkout-2027' });
    const ids = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    expect(ids.map((id) => on(explicit, { userId: id }))).toEqual(
      ids.map((id) => on(implicit, { userId: id })),
    );
    expect(ids.map((id) => on(other, { userId: id }))).not.toEqual(
      ids.map((id) => on(implicit, { userId: id })),
    );
  });

  it('an absent custom stickiness field makes the strategy false (requirement 10), not a random draw', () => {
    const f = rollout('checkout.new', 100, { stickiness: 'tenantId' });
    expect(evaluate(f.key, f, 'boolean', false, { userId: 'u1' }, { random: () => 0 })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(on(f, { userId: 'u1', tenantId: 'acme' })).toBe(true);
  });

  it('random stickiness, and default stickiness without ids, draw from the injectable random source', () => {
    const random = rollout('checkout.new', 50, { stickiness: 'random' });
    expect(on(random, { userId: '174' }, sequence(0))).toBe(true);
    expect(on(random, { userId: '174' }, sequence(0.5))).toBe(false);
    const anonymous = rollout('checkout.new', 1);
    expect(on(anonymous, {}, sequence(0))).toBe(true);
    expect(on(anonymous, {}, sequence(0.01))).toBe(false);
  });

  it('0 % is off for everyone and 100 % on for everyone', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (userId) => {
        expect(on(rollout('checkout.new', 0), { userId })).toBe(false);
        expect(
          evaluate('checkout.new', rollout('checkout.new', 100), 'boolean', false, { userId }),
        ).toMatchObject({
          value: true,
          reason: 'DEFAULT',
        });
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('raising the percentage never turns a user off (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (userId, groupId, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const before = on(rollout('checkout.new', low, { groupId }), { userId });
          const after = on(rollout('checkout.new', high, { groupId }), { userId });
          expect(!before || after).toBe(true);
        },
      ),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('a rollout behind constraints only splits those who meet them', () => {
    const f = rollout('Feature.flexibleRollout.10', 10, {
      constraints: [{ contextName: 'country', operator: 'IN', values: ['NO'] }],
    });
    expect(evaluate(f.key, f, 'boolean', false, { userId: '174', country: 'NO' }).reason).toBe('SPLIT');
    expect(evaluate(f.key, f, 'boolean', false, { userId: '174', country: 'SE' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });
});
