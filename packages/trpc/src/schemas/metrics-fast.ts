import { PUSHED_SERIES_KINDS } from '@sextant/db/enums';
import { unstorableText } from '../input-guard';
import {
  histogramSchema,
  isoTimestamp,
  LABEL_NAME,
  METRIC_LIMITS,
  METRIC_NAME,
  type MetricBatch,
} from './metrics';

type Point = MetricBatch['points'][number];
type Histogram = MetricBatch['histograms'][number];

/**
 * `batchSchema.safeParse(body)` for the ingest hot path, without zod's per-point cost. Returns the same data
 * zod would, or null when anything is off (or merely unusual): the caller then runs zod, which decides and
 * words the issues. So null never means "invalid", only "ask zod"; a non-null result means zod accepts it.
 * Meant for a body from JSON.parse (own, enumerable, string keys only).
 */
export function parseBatchFast(body: unknown, now = Date.now()): MetricBatch | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const input = body as { points?: unknown; histograms?: unknown };
  const rawPoints = input.points === undefined ? [] : input.points;
  const rawHists = input.histograms === undefined ? [] : input.histograms;
  if (!Array.isArray(rawPoints) || !Array.isArray(rawHists)) return null;
  const total = rawPoints.length + rawHists.length;
  if (total === 0 || total > METRIC_LIMITS.samplesPerBatch) return null;

  const window = { oldest: now - METRIC_LIMITS.maxAgeMs, newest: now + METRIC_LIMITS.maxFutureMs };
  const isoCache = new Map<string, number | null>();
  // Names repeat across a batch: the last one that passed needs no second regex run.
  let lastName: string | null = null;
  const points: Point[] = new Array(rawPoints.length);
  for (let i = 0; i < rawPoints.length; i++) {
    const p = rawPoints[i] as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return null;
    const name = p.name;
    if (typeof name !== 'string') return null;
    if (name !== lastName) {
      if (!validMetricName(name)) return null;
      lastName = name;
    }
    const labels = p.labels === undefined ? {} : checkLabels(p.labels);
    if (labels === null) return null;
    const ts = timestampMs(p.ts, window, isoCache);
    if (ts === null) return null;
    const value = p.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    const kind = p.kind === undefined ? 'gauge' : p.kind;
    if (!(PUSHED_SERIES_KINDS as readonly unknown[]).includes(kind)) return null;
    points[i] = { name, labels, ts, value, kind: kind as Point['kind'] };
  }
  // Histograms are few and heavy per item: zod per histogram keeps its bucket rules in one place.
  const histograms: Histogram[] = new Array(rawHists.length);
  for (let i = 0; i < rawHists.length; i++) {
    const parsed = histogramSchema.safeParse(rawHists[i]);
    if (!parsed.success) return null;
    histograms[i] = parsed.data;
  }
  return { points, histograms };
}

function validMetricName(name: string): boolean {
  return name.length <= METRIC_LIMITS.metricNameLength && METRIC_NAME.test(name);
}

/** The labels object itself when zod's record would return an equal copy; null otherwise. */
function checkLabels(labels: unknown): Record<string, string> | null {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return null;
  // A constructor that is a function (e.g. a class instance) is not what zod calls a plain object.
  if (typeof (labels as { constructor?: unknown }).constructor === 'function' && !isPlain(labels))
    return null;
  const keys = Object.keys(labels);
  if (keys.length > METRIC_LIMITS.labelsPerSeries) return null;
  for (const key of keys) {
    // zod drops a __proto__ key instead of copying it; let it decide.
    if (key === '__proto__' || key.length > METRIC_LIMITS.labelNameLength || !LABEL_NAME.test(key))
      return null;
    const value = (labels as Record<string, unknown>)[key];
    if (
      typeof value !== 'string' ||
      value.length > METRIC_LIMITS.labelValueLength ||
      unstorableText(value) !== null
    )
      return null;
  }
  return labels as Record<string, string>;
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function timestampMs(
  ts: unknown,
  window: { oldest: number; newest: number },
  isoCache: Map<string, number | null>,
): number | null {
  let ms: number | null;
  if (typeof ts === 'number') {
    ms = Number.isInteger(ts) ? ts : null;
  } else if (typeof ts === 'string') {
    ms = isoCache.get(ts) ?? null;
    if (!isoCache.has(ts)) {
      ms = isoTimestamp.safeParse(ts).success ? Date.parse(ts) : null;
      isoCache.set(ts, ms);
    }
  } else {
    return null;
  }
  // The window lies well inside the safe, non-negative integers, so this also covers .int().nonnegative().
  return ms !== null && ms >= window.oldest && ms <= window.newest ? ms : null;
}
