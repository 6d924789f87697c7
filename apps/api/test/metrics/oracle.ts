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

/** Each series' last sample per bucket (ts in ms, buckets of `step` seconds), in bucket order. */
function lastPerBucket<T extends { series: number; ts: number }>(samples: T[], step: number) {
  const out = new Map<number, Map<number, T>>();
  for (const s of samples) {
    const k = Math.floor(s.ts / 1000 / step);
    const m = out.get(s.series) ?? new Map<number, T>();
    const prev = m.get(k);
    if (!prev || prev.ts < s.ts) m.set(k, s);
    out.set(s.series, m);
  }
  return [...out].map(([series, m]) => ({ series, rows: [...m].sort((a, b) => a[0] - b[0]) }));
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

/** Counter increases between buckets' last samples (a drop is a restart), as rate or error ratio per group. */
export function rateOracle(
  samples: Sample[],
  fn: 'rate' | 'error_ratio',
  w: Window,
  group: (s: number) => string,
  isError: (s: number) => boolean,
) {
  const first = Math.floor(w.from / 1000 / w.step);
  const last = Math.ceil(w.to / 1000 / w.step);
  const inWindow = samples.filter((s) => s.ts >= (first - 1) * w.step * 1000 && s.ts < last * w.step * 1000);
  const all: Bucketed = new Map();
  const err: Bucketed = new Map();
  for (const { series, rows } of lastPerBucket(inWindow, w.step)) {
    for (let i = 1; i < rows.length; i++) {
      const [pk, p] = rows[i - 1]!;
      const [k, c] = rows[i]!;
      if (k < first) continue;
      const inc = c.value >= p.value ? c.value - p.value : c.value;
      add(all, group(series), k, fn === 'rate' ? inc / ((k - pk) * w.step) : inc);
      if (isError(series)) add(err, group(series), k, inc);
    }
  }
  if (fn === 'rate') return all;
  const out: Bucketed = new Map();
  for (const [g, m] of all)
    for (const [k, total] of m) if (total > 0) add(out, g, k, (err.get(g)?.get(k) ?? 0) / total);
  return out;
}

/** histogram_quantile over the buckets' increases merged by bound per group (a drop anywhere is a restart). */
export function quantileOracle(samples: HistSample[], q: number, w: Window, group: (s: number) => string) {
  const first = Math.floor(w.from / 1000 / w.step);
  const last = Math.ceil(w.to / 1000 / w.step);
  const inWindow = samples.filter((s) => s.ts >= (first - 1) * w.step * 1000 && s.ts < last * w.step * 1000);
  const merged = new Map<string, Map<number, Map<number, number>>>();
  for (const { series, rows } of lastPerBucket(inWindow, w.step)) {
    for (let i = 1; i < rows.length; i++) {
      const p = rows[i - 1]![1];
      const [k, c] = rows[i]!;
      const reset = c.counts.some((n, j) => n < p.counts[j]!);
      const byK = merged.get(group(series)) ?? new Map<number, Map<number, number>>();
      const m = byK.get(k) ?? new Map<number, number>();
      for (const [j, b] of c.bounds.entries())
        m.set(b, (m.get(b) ?? 0) + c.counts[j]! - (reset ? 0 : p.counts[j]!));
      byK.set(k, m);
      merged.set(group(series), byK);
    }
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
