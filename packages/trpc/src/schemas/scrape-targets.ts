import { z } from 'zod';
import { SCRAPE_TARGET_LIMITS } from '../limits';
import { intIn } from './int';
import { labelName, METRIC_NAME } from './metrics';
import { patchOf } from './patch';

/** Set by the target itself, so a dashboard's service × environment always matches where it was configured. */
export const RESERVED_SCRAPE_LABELS = ['service', 'environment'] as const;

export const scrapeTargetInput = z
  .object({
    environmentId: z.uuid('Pick an environment.'),
    url: z
      .url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' })
      .max(SCRAPE_TARGET_LIMITS.urlLength),
    dropPrefix: z
      .string()
      .max(SCRAPE_TARGET_LIMITS.dropPrefixLength)
      .regex(METRIC_NAME, 'A prefix uses letters, digits, _ and : and does not start with a digit.')
      .nullish()
      .transform((v) => v ?? null),
    intervalSeconds: intIn(SCRAPE_TARGET_LIMITS.intervalSeconds, {
      min: 'At least 5 seconds.',
      max: 'At most 1 hour.',
    }).default(30),
    timeoutMs: intIn(SCRAPE_TARGET_LIMITS.timeoutMs, {
      min: 'At least 100 ms.',
      max: 'At most 60 s.',
    }).default(5_000),
    labels: z
      .record(labelName, z.string().max(200))
      .default({})
      .refine(
        (l) => Object.keys(l).length <= SCRAPE_TARGET_LIMITS.labels,
        `At most ${SCRAPE_TARGET_LIMITS.labels} extra labels.`,
      )
      .refine(
        (l) => !RESERVED_SCRAPE_LABELS.some((k) => k in l),
        'service and environment labels come from the target; remove them.',
      ),
  })
  .refine((t) => t.timeoutMs < t.intervalSeconds * 1_000, {
    message: 'The timeout must be shorter than the interval.',
    path: ['timeoutMs'],
  });

export type ScrapeTargetInput = z.infer<typeof scrapeTargetInput>;

export const scrapeTargetPatch = patchOf(scrapeTargetInput);
export type ScrapeTargetPatch = z.infer<typeof scrapeTargetPatch>;
