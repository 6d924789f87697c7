import { describe, expect, it } from 'vitest';
import { isolatedIndices } from '../src/components/chart-gaps';

describe('isolatedIndices', () => {
  it.each([
    [[], []],
    [[7], [0]],
    [[null, 7, null], [1]],
    [[1, 2], []],
    [[1, null, null, 2], []], // two empty buckets are bridged: one line
    [
      [1, null, null, null, 2],
      [0, 4],
    ], // three are not: two lone values
    [[1, 2, null, null, null, null, 5], [6]],
    [[0, null, undefined, null, null, 0, 0], [0]], // zero is a value, undefined is not
  ] as const)('%j -> %j', (values, expected) => {
    expect(isolatedIndices(values)).toEqual(expected);
  });

  it('finds the lone values in 10k buckets', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i % 1000 === 0 ? i : null));
    expect(isolatedIndices(values)).toHaveLength(10);
  });
});
