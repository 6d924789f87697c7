import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import { FLAG_CONTEXT_LIMITS } from '../src/limits';
import { flag } from './fixtures';

const REASONS = [
  'STATIC',
  'DEFAULT',
  'TARGETING_MATCH',
  'SPLIT',
  'CACHED',
  'DISABLED',
  'UNKNOWN',
  'STALE',
  'ERROR',
];

describe('evaluate: reasons and error codes (requirement 11, spec B2/B3)', () => {
  it('unknown flag: the default, reason ERROR, FLAG_NOT_FOUND, flagKey echoed, empty metadata', () => {
    const d = evaluate('no.such.flag', undefined, 'string', 'fallback', { userId: 'u1' });
    expect(d).toEqual({
      flagKey: 'no.such.flag',
      value: 'fallback',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'flag "no.such.flag" does not exist here',
      flagMetadata: {},
    });
    expect(Object.isFrozen(d.flagMetadata)).toBe(true);
  });

  it('wrong type: the default, reason ERROR, TYPE_MISMATCH', () => {
    const d = evaluate('checkout.new', flag(), 'number', 7, {});
    expect(d).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('disabled: the default, reason DISABLED, no error code, metadata {flagVersion, environment}', () => {
    const f = flag({ enabled: false, version: 4, environment: 'PRO' });
    expect(evaluate(f.key, f, 'boolean', true, { userId: 'u1' })).toEqual({
      flagKey: 'checkout.new',
      value: true,
      reason: 'DISABLED',
      flagMetadata: { flagVersion: 4, environment: 'PRO' },
    });
  });

  it('no strategies: on for everyone, reason DEFAULT', () => {
    expect(evaluate('checkout.new', flag(), 'boolean', false, {})).toMatchObject({
      value: true,
      reason: 'DEFAULT',
    });
  });

  it('a constraint or a user-id list match: reason TARGETING_MATCH; no match: false, reason DEFAULT', () => {
    const f = flag({
      strategies: [
        { type: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] },
        { type: 'userIds', userIds: ['alice', 'bob'] },
      ],
    });
    expect(evaluate(f.key, f, 'boolean', false, { plan: 'pro' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate(f.key, f, 'boolean', false, { userId: 'bob' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate(f.key, f, 'boolean', false, { userId: 'carol', plan: 'free' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('strategies are OR: the first one that holds decides', () => {
    const f = flag({
      strategies: [
        { type: 'gradualRollout', percentage: 0 },
        { type: 'userIds', userIds: ['alice'] },
      ],
    });
    expect(evaluate(f.key, f, 'boolean', false, { userId: 'alice' }).reason).toBe('TARGETING_MATCH');
    expect(evaluate(f.key, f, 'boolean', false, { userId: 'zed' })).toMatchObject({
      value: false,
      reason: 'SPLIT',
    });
  });

  it('a configuration the schema refuses: the default, PARSE_ERROR naming the problem', () => {
    const bad = flag({ variants: [{ name: 'a', weight: 999 }] });
    const d = evaluate(bad.key, bad, 'boolean', false, {});
    expect(d).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(d.errorMessage).toContain('must total 1000');
    expect(evaluate('x', 'not a flag' as never, 'boolean', false, {}).errorCode).toBe('PARSE_ERROR');
  });

  it('a 1 MB context, too many fields, a long field name or a non-object: the default, INVALID_CONTEXT', () => {
    const f = flag();
    const hostile: unknown[] = [
      { userId: 'x'.repeat(1_000_000) },
      Object.fromEntries(Array.from({ length: FLAG_CONTEXT_LIMITS.maxFields + 1 }, (_, i) => [`f${i}`, i])),
      { ['k'.repeat(FLAG_CONTEXT_LIMITS.maxKeyLength + 1)]: 'v' },
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'v'.repeat(2_000)])),
      'userId=1',
      [1, 2],
    ];
    for (const context of hostile) {
      const d = evaluate(f.key, f, 'boolean', false, context as Record<string, unknown>);
      expect(d).toMatchObject({
        flagKey: 'checkout.new',
        value: false,
        reason: 'ERROR',
        errorCode: 'INVALID_CONTEXT',
      });
    }
    const atLimit = Object.fromEntries(
      Array.from({ length: FLAG_CONTEXT_LIMITS.maxFields }, (_, i) => [`f${i}`, i]),
    );
    expect(evaluate(f.key, f, 'boolean', false, atLimit).reason).toBe('DEFAULT');
  });

  it('a throwing getter or random source: the default, GENERAL', () => {
    const f = flag({
      strategies: [
        { type: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] },
      ],
    });
    const trap = Object.defineProperty({}, 'plan', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(evaluate(f.key, f, 'boolean', false, trap)).toMatchObject({ value: false, errorCode: 'GENERAL' });
    const r = flag({ strategies: [{ type: 'gradualRollout', percentage: 50, stickiness: 'random' }] });
    const random = () => {
      throw new Error('no entropy');
    };
    expect(evaluate(r.key, r, 'boolean', false, {}, { random })).toMatchObject({
      errorCode: 'GENERAL',
      errorMessage: 'no entropy',
    });
  });

  it('never throws, whatever the flag and context (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.constant(flag())),
        fc.constantFrom('boolean', 'string', 'number', 'json'),
        fc.anything(),
        (f, type, context) => {
          const d = evaluate('k', f as never, type as 'boolean', false, context as Record<string, unknown>);
          expect(d.flagKey).toBe('k');
          expect(REASONS).toContain(d.reason);
          if (d.reason === 'ERROR') expect(d.value).toBe(false);
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('answers the same for the same context every time (caches the compiled flag per object)', () => {
    const f = flag({ strategies: [{ type: 'gradualRollout', percentage: 30 }] });
    const first = Array.from(
      { length: 200 },
      (_, i) => evaluate(f.key, f, 'boolean', false, { userId: `u${i}` }).value,
    );
    const again = Array.from(
      { length: 200 },
      (_, i) => evaluate(f.key, f, 'boolean', false, { userId: `u${i}` }).value,
    );
    expect(again).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(30);
    expect(first.filter(Boolean).length).toBeLessThan(90);
  });
});
