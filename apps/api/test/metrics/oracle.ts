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

export type Sample = { series: number; ts: number; value: number };
export type HistSample = { series: number; ts: number; bounds: number[]; counts: number[] };
export type Bucketed = Map<string, Map<number, number>>;
type Window = { step: number; from: number; to: number };

const add = (m: Bucketed, g: string, k: number, v: number) => {
  const byK = m.get(g) ?? new Map<number, number>();
  byK.set(k, (byK.get(k) ?? 0) + v);
  m.set(g, byK);
};

const LOOKBACK_MS = 15 * 60_000;

/**
 * Every sample with its increase over the series' previous sample (the rule of increase.ts): v − prev, v after a
 * drop, 0 for a series' first sample or one over 15 minutes after the previous; `delta` series' samples are increases.
 */
function increases<T extends { series: number; ts: number }>(
  samples: T[],
  inc: (cur: T, prev: T) => number[],
  zero: (cur: T) => number[],
) {
  const bySeries = new Map<number, T[]>();
  for (const s of samples) {
    const list = bySeries.get(s.series) ?? [];
    list.push(s);
    bySeries.set(s.series, list);
  }
  const out: { sample: T; inc: number[] }[] = [];
  for (const list of bySeries.values()) {
    list.sort((a, b) => a.ts - b.ts);
    list.forEach((cur, i) => {
      const prev = list[i - 1];
      out.push({ sample: cur, inc: prev && cur.ts - prev.ts <= LOOKBACK_MS ? inc(cur, prev) : zero(cur) });
    });
  }
  return out;
}

/** sum / min / max / avg of every sample per (group, bucket), in JS. */
export function plainOracle(
  samples: Sample[],
  fn: 'sum' | 'min' | 'max' | 'avg',
  w: Window,
  group: (s: number) => string,
) {
  const acc = new Map<string, { sum: number; n: number; min: number; max: number }>();
  for (const s of samples) {
    if (s.ts < w.from || s.ts >= w.to) continue;
    const key = `${group(s.series)}\n${Math.floor(s.ts / 1000 / w.step)}`;
    const a = acc.get(key) ?? { sum: 0, n: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
    a.sum += s.value;
    a.n += 1;
    a.min = Math.min(a.min, s.value);
    a.max = Math.max(a.max, s.value);
    acc.set(key, a);
  }
  const out: Bucketed = new Map();
  for (const [key, a] of acc) {
    const [g, k] = key.split('\n') as [string, string];
    add(out, g, Number(k), fn === 'avg' ? a.sum / a.n : a[fn]);
  }
  return out;
}

/** Σ of the samples' increases per bucket, as rate (per second of the step) or error ratio per group. */
export function rateOracle(
  samples: Sample[],
  fn: 'rate' | 'error_ratio',
  w: Window,
  group: (s: number) => string,
  isError: (s: number) => boolean,
  delta = (_s: number) => false,
) {
  const all: Bucketed = new Map();
  const err: Bucketed = new Map();
  const incs = increases(
    samples,
    (c, p) => [delta(c.series) ? c.value : c.value >= p.value ? c.value - p.value : c.value],
    (c) => [delta(c.series) ? c.value : 0],
  );
  for (const { sample: c, inc } of incs) {
    if (c.ts < w.from || c.ts >= w.to) continue;
    const k = Math.floor(c.ts / 1000 / w.step);
    add(all, group(c.series), k, fn === 'rate' ? inc[0]! / w.step : inc[0]!);
    if (isError(c.series)) add(err, group(c.series), k, inc[0]!);
  }
  if (fn === 'rate') return all;
  const out: Bucketed = new Map();
  for (const [g, m] of all)
    for (const [k, total] of m) if (total > 0) add(out, g, k, (err.get(g)?.get(k) ?? 0) / total);
  return out;
}

/** histogram_quantile over the samples' increases merged by bound per group (a drop anywhere is a restart). */
export function quantileOracle(samples: HistSample[], q: number, w: Window, group: (s: number) => string) {
  const merged = new Map<string, Map<number, Map<number, number>>>();
  const incs = increases(
    samples,
    (c, p) => {
      const reset = c.bounds.join() !== p.bounds.join() || c.counts.some((n, j) => n < p.counts[j]!);
      return c.counts.map((n, j) => n - (reset ? 0 : p.counts[j]!));
    },
    (c) => c.counts.map(() => 0),
  );
  for (const { sample: c, inc } of incs) {
    if (c.ts < w.from || c.ts >= w.to) continue;
    const k = Math.floor(c.ts / 1000 / w.step);
    const byK = merged.get(group(c.series)) ?? new Map<number, Map<number, number>>();
    const m = byK.get(k) ?? new Map<number, number>();
    for (const [j, b] of c.bounds.entries()) m.set(b, (m.get(b) ?? 0) + inc[j]!);
    byK.set(k, m);
    merged.set(group(c.series), byK);
  }
  const out: Bucketed = new Map();
  for (const [g, byK] of merged)
    for (const [k, m] of byK) {
      const bounds = [...m.keys()].sort((a, b) => a - b);
      const v = histogramQuantile(
        q,
        bounds,
        bounds.map((b) => m.get(b)!),
      );
      if (v !== null) add(out, g, k, v);
    }
  return out;
}
