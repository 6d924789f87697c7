import { z } from 'zod';
import { labelName, METRIC_LIMITS, metricName } from './metrics';

/** How many metrics and services the Cardinality page lists, largest first. */
export const CARDINALITY_TOP = 50;
/** Days of growth per metric the page shows, today included. */
export const CARDINALITY_DAYS = 7;
/** Days the daily series snapshots are kept. */
export const CARDINALITY_SNAPSHOT_DAYS = 90;
/** Label sets a delete preview shows. */
export const DELETE_PREVIEW_SAMPLES = 20;
/** An override's bounds, as the config's defaults (METRICS_MAX_SERIES_PER_*). */
export const SERIES_LIMIT_BOUNDS = { min: 1, max: 100_000_000 } as const;

/** One metric's labels by distinct values. */
export const cardinalityLabelsInput = z.object({ name: metricName });

/** Series of one metric: those carrying every one of `labels` (none: all of the metric's series). */
export const seriesSelectorInput = z.object({
  name: metricName,
  labels: z
    .record(labelName, z.string().min(1).max(METRIC_LIMITS.labelValueLength))
    .refine(
      (l) => Object.keys(l).length <= METRIC_LIMITS.labelsPerSeries,
      `At most ${METRIC_LIMITS.labelsPerSeries} labels.`,
    )
    .default({}),
});

/** A delete names the count its preview showed; a different count now refuses it (CONFLICT). */
export const deleteSeriesInput = seriesSelectorInput.extend({
  expected: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export const LIMIT_SCOPES = ['metric', 'service'] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];

export const maxSeries = z
  .number()
  .int('A whole number of series.')
  .min(SERIES_LIMIT_BOUNDS.min, `At least ${SERIES_LIMIT_BOUNDS.min}.`)
  .max(SERIES_LIMIT_BOUNDS.max, `At most ${SERIES_LIMIT_BOUNDS.max.toLocaleString('en-US')}.`);

// What an override applies to: a metric name, or a `service` label's value.
const metricTarget = z.object({ scope: z.literal('metric'), key: metricName });
const serviceTarget = z.object({
  scope: z.literal('service'),
  key: z.string().trim().min(1).max(METRIC_LIMITS.labelValueLength),
});

export const setLimitInput = z.discriminatedUnion('scope', [
  metricTarget.extend({ maxSeries }),
  serviceTarget.extend({ maxSeries }),
]);
export const clearLimitInput = z.discriminatedUnion('scope', [metricTarget, serviceTarget]);
