import fc from 'fast-check';
import murmurhash3js from 'murmurhash3js';
import { describe, expect, it } from 'vitest';
import { murmur3, rolloutBucket, variantBucket } from '../src/murmur';

describe('murmur3_x86_32', () => {
  it('gives the published reference vectors (seed parameter honoured)', () => {
    const vectors: [string, number, number][] = [
      ['', 0, 0],
      ['', 1, 0x514e28b7],
      ['', 0xffffffff, 0x81f16f39],
      ['\0\0\0\0', 0, 0x2362f9de],
      ['a', 0x9747b28c, 0x7fa09ea6],
      ['ab', 0x9747b28c, 0x74875592],
      ['abc', 0x9747b28c, 0xc84a62dd],
      ['abcd', 0x9747b28c, 0xf0478627],
      ['aaaa', 0x9747b28c, 0x5a97808a],
      ['Hello, world!', 0x9747b28c, 0x24884cba],
      ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
      ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ];
    for (const [key, seed, expected] of vectors)
      expect(murmur3(key, seed), JSON.stringify(key)).toBe(expected);
  });

  it('equals murmurhash3js (Unleash Node SDK) on ASCII keys for both seeds', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary-ascii', maxLength: 80 }),
        fc.constantFrom(0, 86028157),
        (key, seed) => {
          expect(murmur3(key, seed)).toBe(murmurhash3js.x86.hash32(key, seed));
        },
      ),
      { numRuns: 2000, seed: 18 },
    );
  });

  it('hashes the UTF-8 bytes of any string, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (key, seed) => {
          // murmurhash3js reads one byte per char, so a latin1 string of the UTF-8 bytes is the byte-level oracle.
          const bytes = Buffer.from(key, 'utf8').toString('latin1');
          expect(murmur3(key, seed)).toBe(murmurhash3js.x86.hash32(bytes, seed));
        },
      ),
      { numRuns: 500, seed: 18 },
    );
  });
});

describe('buckets (requirement 9, Unleash client-specification 10-flexible-rollout-strategy)', () => {
  it('gives the four golden vectors 10, 32, 55, 42', () => {
    expect(rolloutBucket('Feature.flexibleRollout.10', '174')).toBe(10);
    expect(rolloutBucket('Feature.flexibleRollout.10', '499')).toBe(32);
    expect(rolloutBucket('Feature.flexibleRollout.userId.55', '25')).toBe(55);
    expect(rolloutBucket('Feature.flexibleRollout.sessionId.42', '147')).toBe(42);
  });

  it('stays within 1..100 and 1..totalWeight', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 1000 }), (group, id, total) => {
        const b = rolloutBucket(group, id);
        const v = variantBucket(group, id, total);
        expect(b >= 1 && b <= 100 && v >= 1 && v <= total).toBe(true);
      }),
      { numRuns: 500, seed: 18 },
    );
  });
});
