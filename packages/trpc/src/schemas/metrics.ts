import { PUSHED_SERIES_KINDS } from '@sextant/db/enums';
import { z } from 'zod';
import { unstorableText } from '../input-guard';
import { boundedDate, checkBuckets, checkWindow, stepSeconds } from './time-range';

/** Limits per request; each is reported by name when exceeded. */
export const METRIC_LIMITS = {
  samplesPerBatch: 50_000,
  labelsPerSeries: 32,
  labelNameLength: 100,
  labelValueLength: 1024,
  metricNameLength: 200,
  histogramBuckets: 100,
  /** How far in the future a timestamp may be (clock skew). */
  maxFutureMs: 10 * 60_000,
  /** How old a sample may be when it arrives. */
  maxAgeMs: 48 * 3_600_000,
  /** Longest `=~` / `!~` pattern. */
  regexLength: 512,
  /** RE2 program size (instructions) all regex matchers of one selector may add up to: matching is linear in it. */
  regexProgramSize: 1_000,
  /** statement_timeout of the query that matches a selector's labels (patterns run in Postgres). */
  matchTimeoutMs: 3_000,
  /** Default series limits (METRICS_MAX_SERIES_PER_METRIC / _PER_SERVICE): a batch creating more is refused. */
  seriesPerMetric: 20_000,
  seriesPerService: 100_000,
  /** Series one query may answer: groups of `by`, or one for a plain aggregate. */
  returnedSeries: 500,
  /** Series one query may read; the statement timeout bounds it too. */
  matchedSeries: 100_000,
  /** Labels one query may group by. */
  groupLabels: 5,
  /** A counter sample further than this after the series' previous one adds no increase (as across staleness). */
  counterLookbackMs: 15 * 60_000,
} as const;

/** Shared with the ingest fast path (metrics-fast.ts), so both check the very same names. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const metricName = z
  .string()
  .max(METRIC_LIMITS.metricNameLength)
  .regex(METRIC_NAME, 'Metric names use letters, digits, _ and : and do not start with a digit.');

export const labelName = z
  .string()
  .max(METRIC_LIMITS.labelNameLength)
  .regex(LABEL_NAME, 'Label names use letters, digits and _ and do not start with a digit.');

const labels = z
  .record(
    labelName,
    z
      .string()
      .max(METRIC_LIMITS.labelValueLength)
      // Label sets are stored as jsonb, which refuses NUL and lone surrogates; refused here, not by the write.
      .superRefine((v, ctx) => {
        const problem = unstorableText(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
  .default({})
  .refine((l) => Object.keys(l).length <= METRIC_LIMITS.labelsPerSeries, {
    message: `At most ${METRIC_LIMITS.labelsPerSeries} labels per series.`,
  });

/** An ISO-8601 timestamp string with an offset (the string form of `ts`). */
export const isoTimestamp = z.iso.datetime({ offset: true });

/** Epoch milliseconds or an ISO-8601 string, inside the accepted window. */
const timestamp = z
  .union([z.number().int().nonnegative(), isoTimestamp])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
  .refine((ms) => ms <= Date.now() + METRIC_LIMITS.maxFutureMs, 'Timestamp is too far in the future.')
  .refine(
    (ms) => ms >= Date.now() - METRIC_LIMITS.maxAgeMs,
    'Timestamp is older than the accepted 48 hours.',
  );

const finite = z.number().refine(Number.isFinite, 'Must be a finite number.');

export const pointSchema = z.object({
  name: metricName,
  labels,
  ts: timestamp,
  value: finite,
  /** Counters only go up (resets aside); rates are computed for them. */
  kind: z.enum(PUSHED_SERIES_KINDS).default('gauge'),
});

export const histogramSchema = z
  .object({
    name: metricName,
    labels,
    ts: timestamp,
    /** Cumulative counts per upper bound, as in Prometheus: `{ le: 0.1, count: 12 }`; `le` may be "+Inf". */
    buckets: z
      .array(
        z.object({
          le: z.union([finite, z.literal('+Inf')]),
          count: finite.refine((c) => c >= 0, 'Counts cannot be negative.'),
        }),
      )
      .min(1)
      .max(METRIC_LIMITS.histogramBuckets),
    sum: finite,
    count: finite.refine((c) => c >= 0, 'Counts cannot be negative.'),
  })
  .refine((h) => h.buckets.every((b, i, all) => i === 0 || leOf(b.le) > leOf(all[i - 1]!.le)), {
    message: 'Bucket bounds must be strictly increasing.',
    path: ['buckets'],
  })
  .refine((h) => h.buckets.every((b, i, all) => i === 0 || b.count >= all[i - 1]!.count), {
    message: 'Bucket counts are cumulative and cannot decrease.',
    path: ['buckets'],
  });

function leOf(le: number | '+Inf'): number {
  return le === '+Inf' ? Number.POSITIVE_INFINITY : le;
}

export const batchSchema = z
  .object({
    points: z.array(pointSchema).default([]),
    histograms: z.array(histogramSchema).default([]),
  })
  .refine((b) => b.points.length + b.histograms.length > 0, 'The batch is empty.')
  .refine((b) => b.points.length + b.histograms.length <= METRIC_LIMITS.samplesPerBatch, {
    message: `At most ${METRIC_LIMITS.samplesPerBatch} samples per batch.`,
  });

export type MetricBatch = z.infer<typeof batchSchema>;

export const matcherSchema = z
  .object({
    label: labelName,
    op: z.enum(['=', '!=', '=~', '!~']),
    value: z.string().max(METRIC_LIMITS.labelValueLength),
  })
  .refine((m) => !m.op.endsWith('~') || m.value.length <= METRIC_LIMITS.regexLength, {
    message: `Regular expressions may be at most ${METRIC_LIMITS.regexLength} characters.`,
    path: ['value'],
  });

export const selectorSchema = z.object({
  name: metricName,
  matchers: z.array(matcherSchema).max(20).default([]),
});

export const queryFunctions = [
  'rate',
  'avg',
  'min',
  'max',
  'sum',
  'p50',
  'p95',
  'p99',
  'error_ratio',
] as const;

/** error_ratio's errors unless the caller says otherwise: 5xx statuses, the ones the service tier files under `err`. */
export const DEFAULT_ERROR_MATCHER = { label: 'status', op: '=~', value: '5..' } as const;

export const queryInput = z
  .object({
    selector: selectorSchema,
    from: boundedDate,
    to: boundedDate,
    step: stepSeconds,
    fn: z.enum(queryFunctions),
    /** For error_ratio: which of the selected series count as errors. */
    errorMatcher: matcherSchema.default({ ...DEFAULT_ERROR_MATCHER }),
    /** Answer one series per distinct value set of these labels (Prometheus' `by`); none: one series in all. */
    by: z.array(labelName).max(METRIC_LIMITS.groupLabels).default([]),
  })
  .superRefine(checkWindow)
  .superRefine(checkBuckets);

export type MetricQuery = z.infer<typeof queryInput>;
