import { describe, expect, it } from 'vitest';
import { findDeniedNetwork, parseDenyList } from '../../src/monitoring/probe';
import { parseJsonPath } from '../../src/monitoring/probe/assertions';

describe('deny list matcher', () => {
  const denied = parseDenyList([
    '169.254.0.0/16',
    '10.0.0.0/8',
    'fd00::/8',
    '::1/128',
    '0.0.0.0',
    ' 100.64.0.0/10 ',
  ]);
  const match = (address: string) => findDeniedNetwork(address, denied)?.cidr ?? null;

  it('matches IPv4 and IPv6 ranges, bare addresses and trimmed entries', () => {
    expect(match('169.254.169.254')).toBe('169.254.0.0/16');
    expect(match('10.255.255.255')).toBe('10.0.0.0/8');
    expect(match('11.0.0.1')).toBeNull();
    expect(match('fd12:3456::1')).toBe('fd00::/8');
    expect(match('fe80::1')).toBeNull();
    expect(match('::1')).toBe('::1/128');
    expect(match('0.0.0.0')).toBe('0.0.0.0');
    expect(match('100.100.1.1')).toBe('100.64.0.0/10');
  });

  it('matches IPv4-mapped IPv6 against IPv4 ranges and IPv4 against mapped IPv6 ranges', () => {
    expect(match('::ffff:169.254.1.1')).toBe('169.254.0.0/16');
    expect(match('::ffff:a00:1')).toBe('10.0.0.0/8');
    const mappedOnly = parseDenyList(['::ffff:127.0.0.0/104']);
    expect(findDeniedNetwork('127.0.0.1', mappedOnly)?.cidr).toBe('::ffff:127.0.0.0/104');
    expect(findDeniedNetwork('128.0.0.1', mappedOnly)).toBeNull();
  });

  it('throws a denied ProbeError on invalid entries', () => {
    for (const bad of [
      '10.0.0.0/33',
      'nonsense',
      '10.0.0/8',
      '192.168/16',
      '0x7f.0.0.1',
      'fd00::/129',
      '10.0.0.0/8/8',
    ]) {
      expect(() => parseDenyList([bad]), bad).toThrow(`invalid deny-list entry "${bad}"`);
    }
  });
});

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
