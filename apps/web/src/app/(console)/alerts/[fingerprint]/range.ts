import { type MetricsRange, RELATIVE_RANGES, resolveRange } from '~/lib/metrics-range';

/** The smallest preset (up to 7 d) that shows the alert from its first known state change, with some lead-in. */
export function rangeCovering(firstAt: Date | null, now: number): MetricsRange {
  const age = firstAt ? (now - firstAt.getTime()) * 1.2 : 0;
  const fits = RELATIVE_RANGES.find(
    (r) => r !== '30d' && now - resolveRange({ kind: 'relative', range: r }, now).from.getTime() >= age,
  );
  return { kind: 'relative', range: fits ?? '7d' };
}
