import { createHash } from 'node:crypto';

/** A stable offset inside the interval, derived from the check id, so checks spread out and keep their phase. */
export function phaseOffsetMs(checkId: string, intervalSeconds: number): number {
  const n = createHash('sha256').update(checkId).digest().readUInt32BE(0);
  return n % (intervalSeconds * 1000);
}

/** The first slot strictly after `afterMs`: slots are k·interval + offset since the epoch. */
export function nextSlot(afterMs: number, intervalSeconds: number, offsetMs: number): number {
  const interval = intervalSeconds * 1000;
  const k = Math.floor((afterMs - offsetMs) / interval) + 1;
  return k * interval + offsetMs;
}

/**
 * The slot after the one just run, so a run that ends a little late does not skip the next slot;
 * when a whole interval behind, the next slot after now instead (no backlog storms).
 */
export function followingSlot(
  slotMs: number,
  nowMs: number,
  intervalSeconds: number,
  offsetMs: number,
): number {
  const following = nextSlot(slotMs, intervalSeconds, offsetMs);
  return following >= nowMs - intervalSeconds * 1000 ? following : nextSlot(nowMs, intervalSeconds, offsetMs);
}
