// Inputs of flags.*, shared by the server and the console's forms; the configuration rules are @sextant/flags'.
import {
  FLAG_CONFIG_LIMITS,
  FLAG_TYPES,
  flagConfigSchema,
  strategySchema,
  variantSchema,
} from '@sextant/flags';
import { z } from 'zod';
import { FLAG_LIMITS as L } from '../limits';

/** A flag key, by flagConfigSchema's own rule (letters, digits, ".", "_", "-"; at most 200 characters). */
export const flagKey = flagConfigSchema.shape.key;
/** An environment named as stored (matched case-insensitively). */
export const environmentName = z.string().trim().min(1).max(FLAG_CONFIG_LIMITS.maxKeyLength);

const tags = z.array(z.string().trim().min(1).max(L.tagLength)).max(L.tags);
const serviceIds = z.array(z.uuid()).max(L.linkedServices);
const metadata = {
  description: z.string().max(L.descriptionLength).nullable(),
  /** A user id; must be an existing user at write time. */
  owner: z.string().min(1).max(L.ownerLength).nullable(),
  tags,
  staleAfterDays: z.number().int().min(L.staleAfterDays.min).max(L.staleAfterDays.max),
};

export const flagCreateInput = z.object({
  key: flagKey,
  type: z.enum(FLAG_TYPES),
  description: metadata.description.default(null),
  owner: metadata.owner.default(null),
  tags: tags.default([]),
  staleAfterDays: metadata.staleAfterDays.default(30),
  serviceIds: serviceIds.default([]),
});

/** Metadata only: a flag's key and type never change (the key is also the default rollout group id). */
export const flagUpdateInput = z
  .object({
    key: flagKey,
    description: metadata.description.optional(),
    owner: metadata.owner.optional(),
    tags: tags.optional(),
    staleAfterDays: metadata.staleAfterDays.optional(),
  })
  .refine((u) => Object.entries(u).some(([k, v]) => k !== 'key' && v !== undefined), {
    message: 'Name at least one field to change: description, owner, tags or staleAfterDays.',
  });

/**
 * One environment's configuration. Strategies and variants are bounded here by size only (z.unknown items): the
 * rules are flagConfigSchema's, checked by the service so a refusal is FLAG_CONFIG_INVALID with every issue.
 */
export const flagSetEnvironmentInput = z.object({
  key: flagKey,
  environment: environmentName,
  enabled: z.boolean().optional(),
  strategies: z.array(z.unknown()).max(FLAG_CONFIG_LIMITS.maxStrategies).optional(),
  variants: z.array(z.unknown()).max(FLAG_CONFIG_LIMITS.maxVariants).optional(),
  variantStickiness: z.string().max(FLAG_CONFIG_LIMITS.maxKeyLength).optional(),
  /** The version the editor started from; another one answers FLAG_VERSION_CONFLICT. */
  expectedVersion: z.number().int().min(0).optional(),
  /** Required when a rollout strategy's effective group id changes: that reshuffles every user (req. 9). */
  confirmGroupIdChange: z.boolean().default(false),
});

export const flagToggleInput = z.object({ key: flagKey, environment: environmentName, enabled: z.boolean() });
export const flagEnvironmentRef = z.object({ key: flagKey, environment: environmentName });
export const flagRef = z.object({ key: flagKey });
export const flagLinkServicesInput = z.object({ key: flagKey, serviceIds });

export const FLAG_LIFECYCLES = ['active', 'stale', 'archived'] as const;
export const flagListInput = z
  .object({
    tag: z.string().trim().min(1).max(L.tagLength).optional(),
    /** Default: only flags not archived; true: only archived ones. */
    archived: z.boolean().default(false),
    /** Matched against key and description (case-insensitively). */
    search: z.string().trim().max(L.searchLength).optional(),
  })
  .default({ archived: false });

const DAY_MS = 86_400_000;
export const flagChangesInput = z
  .object({
    serviceId: z.uuid().optional(),
    flagKey: flagKey.optional(),
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .superRefine((r, ctx) => {
    if (r.to <= r.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must be after "from"' });
    else if (r.to.getTime() - r.from.getTime() > L.changesRangeDays * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range is at most ${L.changesRangeDays} days`,
      });
    }
  });

/**
 * flags.evaluate (spec B3). The expected type is `type` when sent, else inferred from `defaultValue` (boolean,
 * string, number, anything else JSON). `context` is left to the evaluator, which bounds it by FLAG_CONTEXT_LIMITS
 * before any work, so an oversized or malformed context answers the default with INVALID_CONTEXT, not a 400.
 */
export const flagEvaluateInput = z.object({
  flagKey: z.string().max(FLAG_CONFIG_LIMITS.maxKeyLength),
  environment: z.string().max(FLAG_CONFIG_LIMITS.maxKeyLength),
  type: z.enum(FLAG_TYPES).optional(),
  defaultValue: z.json(),
  context: z.unknown().optional(),
});

export { FLAG_TYPES, flagConfigSchema, strategySchema, variantSchema };
export type FlagCreateInput = z.input<typeof flagCreateInput>;
export type FlagSetEnvironmentInput = z.input<typeof flagSetEnvironmentInput>;
export type FlagEvaluateInput = z.input<typeof flagEvaluateInput>;
