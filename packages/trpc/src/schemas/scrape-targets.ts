import { z } from 'zod';
import { labelName, METRIC_NAME } from './metrics';
import { patchOf } from './patch';

/** Set by the target itself, so a dashboard's service × environment always matches where it was configured. */
export const RESERVED_SCRAPE_LABELS = ['service', 'environment'] as const;

export const scrapeTargetInput = z
  .object({
    environmentId: z.uuid(),
    url: z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }).max(2000),
    dropPrefix: z
      .string()
      .max(100)
      .regex(METRIC_NAME, 'A prefix uses letters, digits, _ and : and does not start with a digit.')
      .nullish()
      .transform((v) => v ?? null),
    intervalSeconds: z.number().int().min(5, 'At least 5 seconds.').max(3_600, 'At most 1 hour.').default(30),
    timeoutMs: z.number().int().min(100, 'At least 100 ms.').max(60_000, 'At most 60 s.').default(5_000),
    labels: z
      .record(labelName, z.string().max(200))
      .default({})
      .refine((l) => Object.keys(l).length <= 10, 'At most 10 extra labels.')
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
