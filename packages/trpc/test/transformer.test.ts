import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { encodeWithDates, isPlainJson, markStableAnswer, transformer } from '../src/transformer';

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

  it('writes answers that are plain JSON but for Dates exactly as superjson does, escaped keys included', () => {
    const answers = [
      { at: new Date(0) },
      { a: { b: new Date(1) }, c: [new Date(2), { 'd.e': new Date(3), 'f\\g': new Date(4), n: [1, 2] }] },
      { groups: [{ components: [{ bars: [{ day: new Date(86_400_000), uptime: 0.5, down: null }] }] }] },
    ];
    for (const a of answers) {
      expect(encodeWithDates(a)).not.toBeNull();
      expect(serialize(a)).toEqual(superjson.serialize(a));
      expect(superjson.deserialize(JSON.parse(JSON.stringify(serialize(a))))).toEqual(a);
    }
  });

  it('leaves Dates mixed with anything else superjson annotates to superjson', () => {
    const shared = new Date(5);
    const others = [
      new Date(0),
      { at: new Date(Number.NaN) },
      { at: new Date(0), missing: undefined },
      { at: new Date(0), set: new Set([1]) },
      { a: shared, b: shared },
      { at: new Date(0), values: [Number.NaN] },
    ];
    for (const a of others) {
      expect(encodeWithDates(a)).toBeNull();
      expect(serialize(a)).toEqual(superjson.serialize(a));
    }
  });

  it('encodes an answer marked stable once, and others on every call', () => {
    const view = markStableAnswer({ generatedAt: new Date(0), groups: [{ name: 'a' }] });
    const first = serialize(view);
    expect(serialize(view)).toBe(first);
    expect(first).toEqual(superjson.serialize(view));
    const fresh = { generatedAt: new Date(0) };
    expect(serialize(fresh)).not.toBe(serialize(fresh));
  });

  it('lets superjson refuse prototype-polluting keys', () => {
    const evil = JSON.parse('{"__proto__": {"x": 1}}');
    expect(isPlainJson(evil)).toBe(false);
    expect(() => serialize(evil)).toThrow(/prototype pollution/);
  });
});
