import { describe, expect, it } from 'vitest';
import {
  alertLabels,
  fingerprint,
  groupKey,
  groupLabels,
  renderLabels,
} from '../../src/services/alerting/fingerprint';

/** Prometheus' tests state signatures as decimal uint64; AM prints them as %016x. */
const hex = (decimal: string) => BigInt(decimal).toString(16).padStart(16, '0');

/** Straightforward BigInt FNV-1a 64 over Buffer's UTF-8 (empty values skipped): the reference the limbs must equal. */
const reference = (labels: Record<string, string>): string => {
  let h = 0xcbf29ce484222325n;
  const names = Object.keys(labels)
    .filter((name) => labels[name] !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    for (const byte of [...Buffer.from(name), 0xff, ...Buffer.from(labels[name]!), 0xff]) {
      h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
    }
  }
  return h.toString(16).padStart(16, '0');
};

describe('fingerprint equals Prometheus (prometheus/common model/signature_test.go values)', () => {
  it.each([
    [{}, '14695981039346656037'],
    [{ name: 'garland, briggs', fear: 'love is not enough' }, '5799056148416392346'],
    [{ 'first-label': 'first-label-value' }, '5146282821936882169'],
    [{ 'first-label': 'first-label-value', 'second-label': 'second-label-value' }, '3195800080984914717'],
    [
      {
        'first-label': 'first-label-value',
        'second-label': 'second-label-value',
        'third-label': 'third-label-value',
      },
      '13843036195897128121',
    ],
  ])('%j -> %s', (labels, decimal) => {
    expect(fingerprint(labels)).toBe(hex(decimal));
  });

  it('the empty set is the FNV offset basis, 16 hex digits', () => {
    expect(fingerprint({})).toBe('cbf29ce484222325');
  });

  it('is independent of key order and ignores empty values', () => {
    expect(fingerprint({ b: '2', a: '1' })).toBe(fingerprint({ a: '1', b: '2' }));
    expect(fingerprint({ a: '1', b: '' })).toBe(fingerprint({ a: '1' }));
  });

  it('separates name from value (a=bc differs from ab=c)', () => {
    expect(fingerprint({ a: 'bc' })).not.toBe(fingerprint({ ab: 'c' }));
  });

  it('equals the BigInt reference on 2,000 pseudo-random label sets, non-ASCII included', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = [
      'a',
      'b',
      'z',
      '_',
      '0',
      'é',
      'ß',
      '€',
      '\ue000',
      '\uffff',
      '😀',
      '𝄞',
      '\ud800',
      '\udfff',
      ',',
      '=',
      '"',
      '\n',
    ];
    const word = () => Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
    for (let i = 0; i < 2000; i++) {
      const labels: Record<string, string> = {};
      for (let j = next() % 6; j > 0; j--) labels[word()] = word();
      expect(fingerprint(labels), JSON.stringify(labels)).toBe(reference(labels));
    }
  });
});

describe('alert identity and group keys (spec A1)', () => {
  it('alertLabels drops __name__, lets rule labels override, adds alertname, drops empty values', () => {
    expect(
      alertLabels({ __name__: 'up', job: 'api', severity: 'info', zone: '' }, { severity: 'page' }, 'Down'),
    ).toEqual({ job: 'api', severity: 'page', alertname: 'Down' });
  });

  it('group labels: named subset, "..." for all, empty group_by for none', () => {
    const labels = { alertname: 'DiskFull', cluster: 'eu1', instance: 'db1' };
    expect(groupLabels(labels, ['alertname', 'cluster', 'missing'])).toEqual({
      alertname: 'DiskFull',
      cluster: 'eu1',
    });
    expect(groupLabels(labels, ['...'])).toEqual(labels);
    expect(groupLabels(labels, [])).toEqual({});
  });

  it('group key has the shape of spec A1.5', () => {
    const group = groupLabels({ cluster: 'eu1', alertname: 'DiskFull' }, ['alertname', 'cluster']);
    expect(groupKey('{}/{team="db"}', group)).toBe('{}/{team="db"}:{alertname="DiskFull", cluster="eu1"}');
    expect(renderLabels({ a: 'say "hi"' })).toBe('{a="say \\"hi\\""}');
    expect(renderLabels({ b: 'x\ty\u0007\u000b\u0001\u007f', a: '\\u0007' })).toBe(
      '{a="\\\\u0007", b="x\\ty\\a\\v\\x01\\x7f"}',
    );
  });
});
