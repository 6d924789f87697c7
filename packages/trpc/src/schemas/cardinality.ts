import { z } from 'zod';
import { metricName } from './metrics';

/** How many metrics and services the Cardinality page lists, largest first. */
export const CARDINALITY_TOP = 50;
/** Days of new-series counts per metric. */
export const CARDINALITY_DAYS = 7;

/** One metric's labels by distinct values. */
export const cardinalityLabelsInput = z.object({ name: metricName });
