import { SERVICE_RANGES, SERVICE_TIERS } from '@sextant/db/enums';
import { z } from 'zod';
import { SERVICE_LIMITS } from '../limits';

const slugSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes.');

export const serviceInput = z.object({
  name: z.string().trim().min(1, 'Give the service a name.').max(SERVICE_LIMITS.nameLength),
  slug: slugSchema.optional(),
  description: z.string().trim().max(SERVICE_LIMITS.descriptionLength).nullish(),
  owner: z.string().trim().max(SERVICE_LIMITS.ownerLength).nullish(),
  tier: z.enum(SERVICE_TIERS).default('standard'),
  repositoryUrl: z
    .url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' })
    .max(SERVICE_LIMITS.repositoryUrlLength)
    .nullish(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  isPublic: z.boolean().default(false),
});

export const rangeSchema = z.enum(SERVICE_RANGES);
export type Range = z.infer<typeof rangeSchema>;
