import { z } from 'zod';
import { labelName, METRIC_LIMITS, metricName } from './metrics';

/** How many metrics and services the Cardinality page lists, largest first. */
export const CARDINALITY_TOP = 50;
/** Days of new-series counts per metric. */
export const CARDINALITY_DAYS = 7;

/** One metric's labels by distinct values. */
export const cardinalityLabelsInput = z.object({ name: metricName });

/** Series of one metric to delete: those carrying every one of `labels` (none: all of the metric's series). */
export const deleteSeriesInput = z.object({
  name: metricName,
  labels: z
    .record(labelName, z.string().min(1).max(METRIC_LIMITS.labelValueLength))
    .refine(
      (l) => Object.keys(l).length <= METRIC_LIMITS.labelsPerSeries,
      `At most ${METRIC_LIMITS.labelsPerSeries} labels.`,
    )
    .default({}),
});
