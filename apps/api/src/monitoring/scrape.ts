import { histogramSchema, type MetricBatch, pointSchema } from '@sextant/trpc';
import { parsePrometheusText } from './prometheus-text';

export interface ScrapeOptions {
  /** Labels added to every series, e.g. { service: 'sextant-api', environment: 'PRO' }. */
  labels: Record<string, string>;
  /** Dropped from metric names, so `sextant_http_requests_total` becomes `http_requests_total`. */
  stripPrefix?: string;
  timeoutMs?: number;
}

type Histogram = MetricBatch['histograms'][number];

/** Prometheus text → one ingest batch: gauges, counters and histograms (summaries are skipped). */
export function toBatch(text: string, options: ScrapeOptions, ts = Date.now()): MetricBatch {
  const { types, samples, invalidLines, lines } = parsePrometheusText(text);
  if (samples.length === 0 && invalidLines > 0)
    throw new Error(
      `the answer is not in the Prometheus text format (${invalidLines} of ${lines} lines unreadable)`,
    );
  const rename = (n: string) =>
    options.stripPrefix && n.startsWith(options.stripPrefix) ? n.slice(options.stripPrefix.length) : n;
  const points: MetricBatch['points'] = [];
  const histograms = new Map<string, Histogram & { raw: Map<number, number> }>();
  for (const s of samples) {
    const base = s.name.replace(/_(bucket|sum|count)$/, '');
    if (types.get(base) === 'histogram') {
      const { le, ...rest } = s.labels;
      const labels = { ...rest, ...options.labels };
      const key = JSON.stringify([base, Object.entries(rest).sort()]);
      const h = histograms.get(key) ?? {
        name: rename(base),
        labels,
        ts,
        buckets: [],
        sum: 0,
        count: 0,
        raw: new Map(),
      };
      if (s.name.endsWith('_bucket') && le !== undefined)
        h.raw.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), s.value);
      else if (s.name.endsWith('_sum')) h.sum = s.value;
      else if (s.name.endsWith('_count')) h.count = s.value;
      histograms.set(key, h);
      continue;
    }
    const type = types.get(s.name) ?? 'untyped';
    if (type === 'summary' || types.get(base) === 'summary' || !Number.isFinite(s.value)) continue;
    points.push({
      name: rename(s.name),
      labels: { ...s.labels, ...options.labels },
      ts,
      value: s.value,
      kind: type === 'counter' ? 'counter' : 'gauge',
    });
  }
  const hist: Histogram[] = [...histograms.values()].map(({ raw, ...h }) => ({
    ...h,
    buckets: [...raw.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([le, count]) => ({ le: le === Number.POSITIVE_INFINITY ? ('+Inf' as const) : le, count })),
  }));
  // The same rules as pushed samples; a sample an exporter got wrong is dropped, not the whole scrape.
  return {
    points: points.filter((p) => pointSchema.safeParse(p).success),
    histograms: hist.filter((h) => histogramSchema.safeParse(h).success),
  };
}

/** Fetches and converts one target; throws on a non-2xx answer or a timeout. */
export async function scrape(url: string, options: ScrapeOptions): Promise<MetricBatch> {
  const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return toBatch(await res.text(), options);
}
