/**
 * An OTel exponential histogram flattened to a classic cumulative one (Sextant stores `le` buckets only).
 * Bucket i of scale s holds (base^i, base^(i+1)] with base = 2^(2^-s); negative bucket i holds [-base^(i+1), -base^i).
 * Scales above 8 are merged down to 8 as Prometheus does for native histograms, and then further, a factor of 2 at a
 * time, until the buckets fit `maxBuckets`: resolution is what is lost, counts never are.
 */

export interface ExponentialInput {
  scale: number;
  count: number;
  zeroCount: number;
  /** 0 when the sender did not set it: the zero bucket then holds exact zeros. */
  zeroThreshold: number;
  positive: { offset: number; counts: number[] };
  negative: { offset: number; counts: number[] };
}

export type ClassicBucket = { le: number | '+Inf'; count: number };

/** Prometheus refuses scales below -4 (its native histograms stop there); so do we. */
export const MIN_SCALE = -4;
const MAX_SCALE = 8;

/** Buckets merged `2^down` to one, trimmed to the first and last non-empty; null when all are empty. */
function merge(side: { offset: number; counts: number[] }, down: number) {
  const factor = 2 ** down;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < side.counts.length; k++) {
    if (side.counts[k]! === 0) continue;
    const i = Math.floor((side.offset + k) / factor);
    if (i < first) first = i;
    if (i > last) last = i;
  }
  if (first > last) return null;
  const counts = new Array<number>(last - first + 1).fill(0);
  for (let k = 0; k < side.counts.length; k++) {
    if (side.counts[k]! !== 0) counts[Math.floor((side.offset + k) / factor) - first]! += side.counts[k]!;
  }
  return { first, counts };
}

/** Cumulative `le` buckets ending in `+Inf` = count, at most `maxBuckets`; or why the point cannot be stored. */
export function flattenExponential(
  p: ExponentialInput,
  maxBuckets: number,
): { buckets: ClassicBucket[]; scale: number } | { refused: string } {
  if (!Number.isInteger(p.scale) || p.scale < MIN_SCALE)
    return { refused: `exponential histogram scale ${p.scale} is below ${MIN_SCALE}` };
  let down = Math.max(0, p.scale - MAX_SCALE);
  let pos = merge(p.positive, down);
  let neg = merge(p.negative, down);
  // Each side adds its buckets plus its outer edge (so the first bucket has a lower bound), then zero and +Inf.
  const size = () =>
    (neg ? neg.counts.length + 1 : 0) + (pos ? pos.counts.length + 1 : 0) + (p.zeroCount > 0 ? 1 : 0) + 1;
  while (size() > maxBuckets) {
    down++;
    pos = merge(p.positive, down);
    neg = merge(p.negative, down);
  }
  const scale = p.scale - down;
  const bound = (i: number) => 2 ** (i * 2 ** -scale);
  const items: { le: number; count: number }[] = [];
  if (neg) {
    const lastIndex = neg.first + neg.counts.length - 1;
    items.push({ le: -bound(lastIndex + 1), count: 0 });
    for (let i = lastIndex; i >= neg.first; i--)
      items.push({ le: -bound(i), count: neg.counts[i - neg.first]! });
  }
  if (p.zeroCount > 0) items.push({ le: p.zeroThreshold, count: p.zeroCount });
  if (pos) {
    items.push({ le: bound(pos.first), count: 0 });
    for (let k = 0; k < pos.counts.length; k++)
      items.push({ le: bound(pos.first + k + 1), count: pos.counts[k]! });
  }
  // A zero threshold wider than the first positive buckets (or bounds past float range) must not break the order.
  items.sort((a, b) => a.le - b.le);
  const buckets: ClassicBucket[] = [];
  let cumulative = 0;
  for (const { le, count } of items) {
    cumulative += count;
    if (!Number.isFinite(le)) continue; // its count stays in the running total, so the next bound (or +Inf) has it
    const prev = buckets[buckets.length - 1];
    if (prev && prev.le === le) prev.count = cumulative;
    else buckets.push({ le, count: cumulative });
  }
  if (cumulative > p.count) return { refused: 'exponential histogram buckets add up to more than its count' };
  buckets.push({ le: '+Inf', count: p.count });
  return { buckets, scale };
}
