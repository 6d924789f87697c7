import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { isPlainJson, transformer } from '../src/transformer';

const { serialize } = transformer.output;

describe('answer transformer', () => {
  it('writes plain JSON exactly as superjson does, and superjson reads it back', () => {
    const answers = [
      { tier: '1m', step: 60, series: 1, start: 1_700_000_000_000, values: [1.5, null, 3, 0] },
      [{ a: 'x', b: true, c: [[1], { d: null }] }],
      Object.assign(Object.create(null), { bare: 1 }),
      'text',
      42,
      null,
    ];
    for (const a of answers) {
      expect(isPlainJson(a)).toBe(true);
      expect(serialize(a)).toEqual(superjson.serialize(a));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(serialize(a))))).toEqual(a);
    }
  });

  it('leaves anything superjson annotates to superjson', () => {
    const shared = { s: 1 };
    const annotated = [
      { at: new Date(0) },
      { values: [1, Number.NaN] },
      { values: [Number.POSITIVE_INFINITY] },
      { zero: -0 },
      { missing: undefined },
      { big: 1n },
      { set: new Set([1]) },
      { a: shared, b: shared },
      undefined,
    ];
    for (const a of annotated) {
      expect(isPlainJson(a)).toBe(false);
      expect(serialize(a)).toEqual(superjson.serialize(a));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(serialize(a) ?? null)))).toEqual(a);
    }
  });

  it('lets superjson refuse prototype-polluting keys', () => {
    const evil = JSON.parse('{"__proto__": {"x": 1}}');
    expect(isPlainJson(evil)).toBe(false);
    expect(() => serialize(evil)).toThrow(/prototype pollution/);
  });
});
