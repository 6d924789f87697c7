import { z } from 'zod';
import { FLAG_EVALUATION_LIMITS } from '../limits';
import { environmentName } from './environments';
import { flagKey } from './flags';

const { hours } = FLAG_EVALUATION_LIMITS;

/** `flags.evaluationCounts`: one flag's evaluations per hour by variant, over the last `hours` hours. */
export const flagEvaluationCountsInput = z.object({
  flagKey,
  /** Omitted: every environment added up. */
  environment: environmentName.optional(),
  hours: z.number().int().min(hours.min).max(hours.max).default(24),
});

export type FlagEvaluationCountsInput = z.input<typeof flagEvaluationCountsInput>;
