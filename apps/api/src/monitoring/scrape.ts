import type { MetricBatch } from '@sextant/trpc';
import parsePrometheus from 'parse-prometheus-text-format';

export interface ScrapeOptions {
  /** Labels added to every series, e.g. { service: 'sextant-api', environment: 'PRO' }. */
  labels: Record<string, string>;
  /** Dropped from metric names, so `sextant_http_requests_total` becomes `http_requests_total`. */
  stripPrefix?: string;
  timeoutMs?: number;
}

/** Prometheus text → one ingest batch (gauges, counters and histograms; summaries are skipped). */
export function toBatch(text: string, options: ScrapeOptions, ts = Date.now()): MetricBatch {
  const families = parsePrometheus(text);
  const batch: MetricBatch = { points: [], histograms: [] };
  for (const f of families) {
    const name =
      options.stripPrefix && f.name.startsWith(options.stripPrefix)
        ? f.name.slice(options.stripPrefix.length)
        : f.name;
    for (const m of f.metrics) {
      const labels = { ...m.labels, ...options.labels };
      if (f.type === 'HISTOGRAM' && m.buckets) {
        const buckets = Object.entries(m.buckets)
          .map(([le, c]) => ({ le: le === '+Inf' ? ('+Inf' as const) : Number(le), count: Number(c) }))
          .sort((a, b) => (a.le === '+Inf' ? 1 : b.le === '+Inf' ? -1 : a.le - b.le));
        batch.histograms.push({ name, labels, ts, buckets, sum: Number(m.sum), count: Number(m.count) });
      } else if (
        (f.type === 'COUNTER' || f.type === 'GAUGE' || f.type === 'UNTYPED') &&
        m.value !== undefined
      ) {
        const value = Number(m.value);
        if (Number.isFinite(value))
          batch.points.push({ name, labels, ts, value, kind: f.type === 'COUNTER' ? 'counter' : 'gauge' });
      }
    }
  }
  return batch;
}

/** Fetches and converts one target; throws on a non-2xx answer or a timeout. */
export async function scrape(url: string, options: ScrapeOptions): Promise<MetricBatch> {
  const res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return toBatch(await res.text(), options);
}
