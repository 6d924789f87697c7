import { STATUS_PAGE_VISIBILITIES } from '@sextant/db/enums';
import { z } from 'zod';
import { STATUS_PAGE_LIMITS as L } from '../limits';
import { patchOf } from './patch';

/** A page's address: lowercase letters, digits and single dashes (the table checks the same shape). */
export const statusPageSlug = z
  .string()
  .trim()
  .min(1, 'Give the page an address.')
  .max(L.slugLength)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes.');

/** Empty text means none. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => s || null);

export const statusPageComponentInput = z.object({
  serviceId: z.uuid(),
  group: optionalText(L.groupNameLength),
});

/** A status page as the console's form sends it; components in display order. */
export const statusPageInput = z.object({
  slug: statusPageSlug,
  title: z.string().trim().min(1, 'Give the page a title.').max(L.titleLength),
  visibility: z.enum(STATUS_PAGE_VISIBILITIES).default('private'),
  logoUrl: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' })
    .max(L.logoUrlLength)
    .nullish()
    .transform((u) => u ?? null),
  footer: optionalText(L.footerLength),
  environmentIds: z
    .array(z.uuid())
    .min(1, 'Pick at least one environment.')
    .max(L.environments)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'Each environment once.' }),
  components: z
    .array(statusPageComponentInput)
    .max(L.components)
    .refine((cs) => new Set(cs.map((c) => c.serviceId)).size === cs.length, {
      message: 'Each service once.',
    }),
});
export type StatusPageInput = z.output<typeof statusPageInput>;

/** An update: fields left out keep their stored values; `environmentIds` or `components`, when sent, replace the set. */
export const statusPagePatch = patchOf(statusPageInput);
export type StatusPagePatch = z.output<typeof statusPagePatch>;

export const statusPageViewInput = z.object({ slug: statusPageSlug });
