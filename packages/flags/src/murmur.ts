// MurmurHash3 x86 32-bit over the UTF-8 bytes of a string, streamed without allocating a buffer.
// For ASCII it equals murmurhash3js (Unleash's Node SDK); for other characters it follows the
// canonical byte definition (Unleash's Rust/Go/Java engines) instead of murmurhash3js's low-byte cut.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function murmur3(key: string, seed = 0): number {
  let h = seed | 0;
  let block = 0;
  let filled = 0; // bytes in `block`
  let length = 0; // total bytes
  const n = key.length;
  for (let i = 0; i < n; i++) {
    let code = key.charCodeAt(i);
    // Join a surrogate pair into one code point; a lone surrogate encodes as U+FFFD like TextEncoder.
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < n ? key.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    }
    let bytes: number;
    let count: number;
    if (code < 0x80) {
      bytes = code;
      count = 1;
    } else if (code < 0x800) {
      bytes = 0xc0 | (code >> 6) | ((0x80 | (code & 0x3f)) << 8);
      count = 2;
    } else if (code < 0x10000) {
      bytes = 0xe0 | (code >> 12) | ((0x80 | ((code >> 6) & 0x3f)) << 8) | ((0x80 | (code & 0x3f)) << 16);
      count = 3;
    } else {
      bytes =
        0xf0 |
        (code >> 18) |
        ((0x80 | ((code >> 12) & 0x3f)) << 8) |
        ((0x80 | ((code >> 6) & 0x3f)) << 16) |
        ((0x80 | (code & 0x3f)) << 24);
      count = 4;
    }
    for (let b = 0; b < count; b++) {
      block |= ((bytes >>> (8 * b)) & 0xff) << (8 * filled);
      filled++;
      length++;
      if (filled === 4) {
        h = mixBlock(h, block);
        block = 0;
        filled = 0;
      }
    }
  }
  if (filled > 0) {
    let k = Math.imul(block, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const STRATEGY_SEED = 0;
export const VARIANT_SEED = 86028157;

/** Unleash's gradual-rollout bucket, 1..100: (murmur3("groupId:value", 0) mod 100) + 1. */
export function rolloutBucket(groupId: string, value: string): number {
  return (murmur3(`${groupId}:${value}`, STRATEGY_SEED) % 100) + 1;
}

/** Unleash's variant bucket, 1..totalWeight. */
export function variantBucket(groupId: string, value: string, totalWeight: number): number {
  return (murmur3(`${groupId}:${value}`, VARIANT_SEED) % totalWeight) + 1;
}
