/** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the q-th observation. */
export function histogramQuantile(q: number, bounds: number[], cumulative: number[]): number | null {
  const total = cumulative.at(-1) ?? 0;
  if (total <= 0 || bounds.length === 0) return null;
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  if (i < 0) return null;
  const upper = bounds[i]!;
  if (upper === Number.POSITIVE_INFINITY) return i > 0 ? bounds[i - 1]! : null;
  const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
  const below = i === 0 ? 0 : cumulative[i - 1]!;
  const inBucket = cumulative[i]! - below;
  return inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
}
