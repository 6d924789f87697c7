import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../src/monitoring/probe/assertions';

describe('JSON path subset', () => {
  it('parses dotted names, indexes and quoted keys', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b_c[2]')).toEqual(['a', 'b_c', 2]);
    expect(parseJsonPath(`$['x y']["q\\"z"]`)).toEqual(['x y', 'q"z']);
  });

  it('rejects what it does not support', () => {
    for (const path of ['a.b', '$..a', '$[*]', '$.a[?(@.x)]', '$.', '$[-1]'])
      expect(parseJsonPath(path), path).toBeNull();
  });
});
