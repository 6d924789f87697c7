import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import { variantBucket } from '../src/murmur';
import type { FlagConfigInput } from '../src/schema';
import { flag, sequence } from './fixtures';

const str = (value: string) => ({ type: 'string' as const, value });

function stringFlag(
  variants: FlagConfigInput['variants'],
  extra: Partial<FlagConfigInput> = {},
): FlagConfigInput {
  return flag({ key: 'banner.copy', type: 'string', variants, ...extra });
}

describe('variants (requirement 10)', () => {
  it('a 50/50 flag splits 10,000 random userIds within 48-52 %', () => {
    const f = stringFlag([
      { name: 'a', weight: 500, payload: str('A') },
      { name: 'b', weight: 500, payload: str('B') },
    ]);
    const ids = fc.sample(fc.uuid(), { numRuns: 10_000, seed: 10 });
    expect(new Set(ids).size).toBe(10_000);
    const a = ids.filter((userId) => evaluate(f.key, f, 'string', 'none', { userId }).value === 'A').length;
    expect(a / 10_000).toBeGreaterThanOrEqual(0.48);
    expect(a / 10_000).toBeLessThanOrEqual(0.52);
  });

  it('walks cumulative weights with bucket = murmur3("flagKey:userId", 86028157) % total + 1', () => {
    const f = stringFlag([
      { name: 'a', weight: 334, payload: str('A') },
      { name: 'b', weight: 333, payload: str('B') },
      { name: 'c', weight: 333, payload: str('C') },
    ]);
    for (let i = 0; i < 300; i++) {
      const userId = `u${i}`;
      const bucket = variantBucket('banner.copy', userId, 1000);
      const expected = bucket <= 334 ? 'a' : bucket <= 667 ? 'b' : 'c';
      expect(evaluate(f.key, f, 'string', 'none', { userId })).toMatchObject({
        variant: expected,
        reason: 'SPLIT',
      });
    }
  });

  it('skips zero-weight variants', () => {
    const f = stringFlag([
      { name: 'off', weight: 0, payload: str('never') },
      { name: 'only', weight: 1000, payload: str('always') },
    ]);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (userId) => {
        const d = evaluate(f.key, f, 'string', 'none', { userId });
        // One drawable variant: no split, the reason is the strategy's (no strategies = DEFAULT).
        expect(d).toMatchObject({ value: 'always', variant: 'only', reason: 'DEFAULT' });
      }),
      { numRuns: 200, seed: 10 },
    );
  });

  it('overrides win first, even for a zero-weight variant, with reason TARGETING_MATCH', () => {
    const f = stringFlag([
      {
        name: 'staff',
        weight: 0,
        payload: str('S'),
        overrides: [{ contextName: 'userId', values: ['alice'] }],
      },
      { name: 'rest', weight: 1000, payload: str('R') },
    ]);
    expect(evaluate(f.key, f, 'string', 'none', { userId: 'alice' })).toMatchObject({
      value: 'S',
      variant: 'staff',
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate(f.key, f, 'string', 'none', { userId: 'bob' }).variant).toBe('rest');
  });

  it('uses a custom variant stickiness field, and the injectable random source when no value is there', () => {
    const variants = [
      { name: 'a', weight: 500, payload: str('A') },
      { name: 'b', weight: 500, payload: str('B') },
    ];
    const f = stringFlag(variants, { variantStickiness: 'tenantId' });
    const byTenant = evaluate(f.key, f, 'string', 'none', { tenantId: 't-1', userId: 'x' }).value;
    for (const userId of ['y', 'z', 'w']) {
      expect(evaluate(f.key, f, 'string', 'none', { tenantId: 't-1', userId }).value).toBe(byTenant);
    }
    expect(evaluate(f.key, f, 'string', 'none', {}, { random: sequence(0) }).value).toBe('A');
    expect(evaluate(f.key, f, 'string', 'none', {}, { random: sequence(0.75) }).value).toBe('B');
  });

  it('converts payloads to the flag type: string, csv, number and (frozen) JSON', () => {
    const csv = stringFlag([{ name: 'v', weight: 1000, payload: { type: 'csv', value: 'a,b,c' } }]);
    expect(evaluate(csv.key, csv, 'string', '', {}).value).toBe('a,b,c');
    const num = flag({
      type: 'number',
      variants: [{ name: 'v', weight: 1000, payload: { type: 'number', value: '2.5' } }],
    });
    expect(evaluate(num.key, num, 'number', 0, {}).value).toBe(2.5);
    const json = flag({
      type: 'json',
      variants: [{ name: 'v', weight: 1000, payload: { type: 'json', value: '{"a":[1]}' } }],
    });
    const value = evaluate(json.key, json, 'json', null, {}).value as { a: number[] };
    expect(value).toEqual({ a: [1] });
    expect(Object.isFrozen(value) && Object.isFrozen(value.a)).toBe(true);
  });

  it('a boolean flag reports the variant it drew but answers true', () => {
    const f = flag({
      variants: [
        { name: 'blue', weight: 500 },
        { name: 'green', weight: 500 },
      ],
    });
    const d = evaluate(f.key, f, 'boolean', false, { userId: 'u1' });
    expect(d.value).toBe(true);
    expect(['blue', 'green']).toContain(d.variant);
  });

  it('a non-boolean flag that is off for the context answers the code default', () => {
    const f = stringFlag([{ name: 'v', weight: 1000, payload: str('V') }], {
      strategies: [{ type: 'userIds', userIds: ['alice'] }],
    });
    expect(evaluate(f.key, f, 'string', 'code', { userId: 'bob' })).toMatchObject({
      value: 'code',
      reason: 'DEFAULT',
    });
    expect(evaluate(f.key, f, 'string', 'code', { userId: 'alice' })).toMatchObject({
      value: 'V',
      reason: 'TARGETING_MATCH',
    });
  });
});
