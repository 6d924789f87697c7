/** Runs of up to this many buckets between two values are drawn through; longer ones stay visible as gaps. */
export const BRIDGED_BUCKETS = 3;

/**
 * Indices of values with no other value within `span` buckets on either side. A line has nothing to join
 * them to, so without a dot a lone sample (a new service's first minute, a sparse counter) would not show.
 */
export function isolatedIndices(
  values: ArrayLike<number | null | undefined>,
  span = BRIDGED_BUCKETS,
): number[] {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] != null) present.push(i);
  return present.filter(
    (i, k) =>
      (k === 0 || i - present[k - 1]! > span) && (k === present.length - 1 || present[k + 1]! - i > span),
  );
}
