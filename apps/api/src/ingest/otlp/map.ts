import { METRIC_LIMITS, type MetricBatch } from '@sextant/trpc';
import {
  type ExponentialHistogramDataPoint,
  type ExportMetricsServiceRequest,
  type HistogramDataPoint,
  type KeyValue,
  type Metric,
  NO_RECORDED_VALUE,
  type NumberDataPoint,
  TEMPORALITY,
} from './descriptor';
import { type ClassicBucket, flattenExponential } from './exponential';
import { labelName, metricName } from './names';
import { attributeMap, attributeText, int64, nanosToMs } from './values';

type Point = MetricBatch['points'][number];
type Histogram = MetricBatch['histograms'][number];
type Labels = Record<string, string>;

export interface Mapped {
  batch: MetricBatch;
  /** OTLP data points left out (a summary or histogram point counts once). */
  skipped: number;
  notes: string[];
}

/** Resource attributes that name the target (job and instance), so they stay out of `target_info`. */
const IDENTIFYING = ['service.namespace', 'service.name', 'service.instance.id'];

const WINDOW_NOTE = `outside the accepted time window (${METRIC_LIMITS.maxAgeMs / 3_600_000} h back to ${METRIC_LIMITS.maxFutureMs / 60_000} min ahead)`;

/** One request's mapping: the batch being built, and the data points left out with why. */
class Builder {
  readonly points: Point[] = [];
  readonly histograms: Histogram[] = [];
  private readonly skips = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private readonly oldest: number;
  private readonly newest: number;
  /** Newest timestamp stored for the current resource (for its target_info sample). */
  latest = Number.NEGATIVE_INFINITY;

  constructor(now: number) {
    this.oldest = now - METRIC_LIMITS.maxAgeMs;
    this.newest = now + METRIC_LIMITS.maxFutureMs;
  }

  /** `n` data points of metric `name` left out, and why (notes group them by metric and reason). */
  skip(name: string, reason: string, n = 1) {
    const key = `of ${name}: ${reason}`;
    if (n > 0) this.skips.set(key, (this.skips.get(key) ?? 0) + n);
  }

  /** The timestamp in ms if the point can be stored: it has a value and falls inside the accepted window. */
  time(p: { timeUnixNano: NumberDataPoint['timeUnixNano']; flags: number }, name: string): number | null {
    if ((p.flags & NO_RECORDED_VALUE) !== 0) {
      this.skip(name, 'flagged "no recorded value" (a staleness marker)');
      return null;
    }
    const ts = nanosToMs(p.timeUnixNano);
    if (ts < this.oldest || ts > this.newest) {
      this.skip(name, WINDOW_NOTE);
      return null;
    }
    return ts;
  }

  finite(value: number, name: string): boolean {
    if (Number.isFinite(value)) return true;
    this.skip(name, 'not a finite number (NaN or infinite)');
    return false;
  }

  point(name: string, labels: Labels, ts: number, value: number, kind: Point['kind']) {
    this.points.push({ name, labels, ts, value, kind });
    if (ts > this.latest) this.latest = ts;
  }

  histogram(name: string, labels: Labels, ts: number, buckets: ClassicBucket[], sum: number, count: number) {
    this.histograms.push({ name, labels, ts, buckets, sum, count });
    if (ts > this.latest) this.latest = ts;
  }

  /** Attribute keys in Prometheus' label spelling (cached: a request repeats the same few keys). */
  label(key: string): string {
    let name = this.names.get(key);
    if (name === undefined) {
      name = labelName(key);
      this.names.set(key, name);
    }
    return name;
  }

  /** Label sets of the current resource by their attributes: a series' points share one (a request repeats them). */
  private readonly seen = new Map<string, Labels>();

  /** A new resource: its label sets differ from the last one's. */
  resource() {
    this.latest = Number.NEGATIVE_INFINITY;
    this.seen.clear();
  }

  /** `labelsOf` remembered per distinct attribute list (length-prefixed, so no two lists share a key). */
  labels(attributes: KeyValue[], base: Labels): Labels {
    let key = '';
    for (const kv of attributes) {
      const text = attributeText(kv.value);
      key += `${kv.key.length}:${kv.key}${text.length}:${text}`;
    }
    let labels = this.seen.get(key);
    if (labels === undefined) {
      labels = this.labelsOf(attributes, base);
      this.seen.set(key, labels);
    }
    return labels;
  }

  /** Attributes as labels (sorted by key; keys that sanitise alike join their values with `;`), then `base`. */
  private labelsOf(attributes: KeyValue[], base: Labels): Labels {
    const sorted =
      attributes.length > 1
        ? [...attributes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        : attributes;
    const out: Labels = {};
    for (const kv of sorted) {
      const name = this.label(kv.key);
      if (name === '' || name === '__proto__') continue;
      const text = attributeText(kv.value);
      out[name] = Object.hasOwn(out, name) ? `${out[name]};${text}` : text;
    }
    return Object.assign(out, base);
  }

  result(): Mapped {
    let skipped = 0;
    const notes: string[] = [];
    for (const [reason, n] of this.skips) {
      skipped += n;
      notes.push(`${n} data point${n === 1 ? '' : 's'} ${reason}.`);
    }
    return {
      batch: { points: this.points, histograms: this.histograms },
      skipped,
      notes: notes.slice(0, 10),
    };
  }
}

/**
 * An OTLP export as a Sextant batch, the way Prometheus' OTLP receiver maps it (see README, "OTLP"): names with
 * unit and type suffixes, resource attributes to `service`, `environment`, `job`, `instance` and `target_info`.
 * Points that cannot be stored (no recorded value, NaN, outside the time window, delta histograms) are left out
 * and counted; the caller still validates the batch with the native JSON rules.
 */
export function mapExport(request: ExportMetricsServiceRequest, now: number): Mapped {
  const b = new Builder(now);
  for (const rm of request.resourceMetrics) {
    const resource = attributeMap(rm.resource?.attributes);
    const base = resourceLabels(resource);
    b.resource();
    for (const sm of rm.scopeMetrics) for (const metric of sm.metrics) mapMetric(b, metric, base);
    targetInfo(b, resource, base);
  }
  return b.result();
}

/** Labels every series of a resource carries: Sextant's service and environment, Prometheus' job and instance. */
function resourceLabels(resource: Map<string, string>): Labels {
  const base: Labels = {};
  const service = resource.get('service.name');
  if (service !== undefined) {
    base.service = service;
    const namespace = resource.get('service.namespace');
    base.job = namespace ? `${namespace}/${service}` : service;
  }
  const environment = resource.get('deployment.environment.name') ?? resource.get('deployment.environment');
  if (environment !== undefined) base.environment = environment;
  const instance = resource.get('service.instance.id');
  if (instance !== undefined) base.instance = instance;
  return base;
}

/** Prometheus' `target_info` gauge (value 1) with the resource's other attributes, at the resource's newest sample. */
function targetInfo(b: Builder, resource: Map<string, string>, base: Labels) {
  if (b.latest === Number.NEGATIVE_INFINITY || (base.job === undefined && base.instance === undefined))
    return;
  const attributes = [...resource]
    .filter(([key]) => !IDENTIFYING.includes(key))
    .map(([key, text]) => ({ key, value: { value: 'stringValue' as const, stringValue: text } }));
  if (attributes.length === 0) return;
  const labels = b.labels(attributes, base);
  // Only Sextant makes this series, so it is trimmed to what a series may hold rather than refuse the export.
  const kept = Object.entries(labels)
    .filter(([name, text]) => Object.hasOwn(base, name) || text.length <= METRIC_LIMITS.labelValueLength)
    .sort(([a], [b]) => Number(Object.hasOwn(base, b)) - Number(Object.hasOwn(base, a)))
    .slice(0, METRIC_LIMITS.labelsPerSeries);
  b.point('target_info', Object.fromEntries(kept), b.latest, 1, 'gauge');
}

function mapMetric(b: Builder, m: Metric, base: Labels) {
  if (!/[a-zA-Z0-9:]/.test(m.name)) {
    const data = m.data ? m[m.data] : null;
    return b.skip(
      JSON.stringify(m.name.slice(0, 50)),
      'no letter or digit in its name',
      data?.dataPoints.length ?? 0,
    );
  }
  switch (m.data) {
    case 'gauge':
      return numbers(
        b,
        metricName(m.name, m.unit, { monotonic: false, gauge: true }),
        m.gauge!.dataPoints,
        base,
        'gauge',
      );
    case 'sum': {
      const sum = m.sum!;
      const name = metricName(m.name, m.unit, { monotonic: sum.isMonotonic, gauge: false });
      if (sum.aggregationTemporality === TEMPORALITY.delta)
        return numbers(b, name, sum.dataPoints, base, 'delta_counter');
      if (sum.aggregationTemporality === TEMPORALITY.cumulative)
        return numbers(b, name, sum.dataPoints, base, sum.isMonotonic ? 'counter' : 'gauge');
      return b.skip(name, 'a sum without aggregation temporality', sum.dataPoints.length);
    }
    case 'histogram':
      return histograms(b, m, m.histogram!, base, explicitBuckets);
    case 'exponentialHistogram':
      return histograms(b, m, m.exponentialHistogram!, base, exponentialBuckets);
    case 'summary':
      return summaries(b, m, base);
  }
}

function numbers(b: Builder, name: string, dataPoints: NumberDataPoint[], base: Labels, kind: Point['kind']) {
  for (const p of dataPoints) {
    const ts = b.time(p, name);
    if (ts === null) continue;
    if (p.value === undefined) {
      b.skip(name, 'no value');
      continue;
    }
    const value = p.value === 'asInt' ? int64(p.asInt) : p.asDouble;
    if (b.finite(value, name)) b.point(name, b.labels(p.attributes, base), ts, value, kind);
  }
}

/** Every other bound dropped until at most `max` remain (+Inf included): cumulative counts lose nothing but resolution. */
function thin(buckets: ClassicBucket[], max: number): ClassicBucket[] {
  let out = buckets;
  while (out.length > max) out = out.filter((_, i) => i % 2 === 1 || i === out.length - 1);
  return out;
}

function explicitBuckets(p: HistogramDataPoint, count: number): ClassicBucket[] | string {
  const buckets: ClassicBucket[] = [];
  let cumulative = 0;
  // bucket_counts has one more entry than explicit_bounds: the last is the +Inf bucket, which is `count`.
  for (let i = 0; i < p.explicitBounds.length && i < p.bucketCounts.length; i++) {
    const le = p.explicitBounds[i]!;
    if (!Number.isFinite(le) || (i > 0 && le <= (buckets[i - 1]!.le as number)))
      return 'explicit bounds are not finite and increasing';
    cumulative += int64(p.bucketCounts[i]);
    buckets.push({ le, count: cumulative });
  }
  if (cumulative > count) return 'bucket counts add up to more than its count';
  buckets.push({ le: '+Inf', count });
  return thin(buckets, METRIC_LIMITS.histogramBuckets);
}

function exponentialBuckets(p: ExponentialHistogramDataPoint, count: number): ClassicBucket[] | string {
  const side = (s: ExponentialHistogramDataPoint['positive']) => ({
    offset: s?.offset ?? 0,
    counts: (s?.bucketCounts ?? []).map(int64),
  });
  const flat = flattenExponential(
    {
      scale: p.scale,
      count,
      zeroCount: int64(p.zeroCount),
      zeroThreshold: p.zeroThreshold,
      positive: side(p.positive),
      negative: side(p.negative),
    },
    METRIC_LIMITS.histogramBuckets,
  );
  return 'refused' in flat ? flat.refused : flat.buckets;
}

/** Cumulative histogram points (explicit or exponential) as Sextant histograms; delta ones are left out. */
function histograms<P extends HistogramDataPoint | ExponentialHistogramDataPoint>(
  b: Builder,
  m: Metric,
  data: { dataPoints: P[]; aggregationTemporality: number },
  base: Labels,
  toBuckets: (p: P, count: number) => ClassicBucket[] | string,
) {
  const name = metricName(m.name, m.unit, { monotonic: false, gauge: false });
  if (data.aggregationTemporality !== TEMPORALITY.cumulative)
    return b.skip(name, temporalityNote(data.aggregationTemporality), data.dataPoints.length);
  for (const p of data.dataPoints) {
    const ts = b.time(p, name);
    if (ts === null) continue;
    const count = int64(p.count);
    const sum = p.sum ?? 0;
    if (!b.finite(sum, name)) continue;
    const buckets = toBuckets(p, count);
    if (typeof buckets === 'string') b.skip(name, buckets);
    else b.histogram(name, b.labels(p.attributes, base), ts, buckets, sum, count);
  }
}

function temporalityNote(temporality: number) {
  return temporality === TEMPORALITY.delta
    ? 'delta histograms are not stored (Sextant keeps cumulative histograms; export them with cumulative temporality)'
    : 'a histogram without aggregation temporality';
}

function summaries(b: Builder, m: Metric, base: Labels) {
  const name = metricName(m.name, m.unit, { monotonic: false, gauge: false });
  for (const p of m.summary!.dataPoints) {
    const ts = b.time(p, name);
    if (ts === null || !b.finite(p.sum, name)) continue;
    if (!p.quantileValues.every((q) => Number.isFinite(q.value) && Number.isFinite(q.quantile))) {
      b.finite(Number.NaN, name);
      continue;
    }
    const labels = b.labels(p.attributes, base);
    for (const q of p.quantileValues)
      b.point(name, { ...labels, quantile: String(q.quantile) }, ts, q.value, 'gauge');
    b.point(`${name}_sum`, labels, ts, p.sum, 'counter');
    b.point(`${name}_count`, labels, ts, int64(p.count), 'counter');
  }
}
