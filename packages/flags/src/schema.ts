// Save-time schema of one flag's per-environment configuration: refuses what the evaluator cannot honour.
import { z } from 'zod';
import { FLAG_CONFIG_LIMITS as L } from './limits';
import { isSemver, parseDateTime, parseNumber } from './values';

export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const;
export const LIST_OPERATORS = ['IN', 'NOT_IN'] as const;
export const STRING_OPERATORS = ['STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH'] as const;
export const NUMBER_OPERATORS = ['NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE'] as const;
export const DATE_OPERATORS = ['DATE_AFTER', 'DATE_BEFORE'] as const;
export const SEMVER_OPERATORS = ['SEMVER_EQ', 'SEMVER_GT', 'SEMVER_LT'] as const;
export const OPERATORS = [
  ...LIST_OPERATORS,
  ...STRING_OPERATORS,
  ...NUMBER_OPERATORS,
  ...DATE_OPERATORS,
  ...SEMVER_OPERATORS,
] as const;
export const PAYLOAD_TYPES = ['string', 'json', 'number', 'csv'] as const;

const has = (list: readonly string[], item: string) => list.includes(item);

const contextName = z.string().trim().min(1, 'context field name is required').max(L.maxKeyLength);

export const constraintSchema = z
  .object({
    contextName,
    operator: z.enum(OPERATORS, {
      error: (issue) =>
        `unknown operator ${JSON.stringify(issue.input)}; expected one of ${OPERATORS.join(', ')}`,
    }),
    /** IN, NOT_IN and STR_*: any value matches (OR). */
    values: z.array(z.string().max(L.maxValueLength)).max(L.maxConstraintValues).default([]),
    /** NUM_*, DATE_* and SEMVER_*: the single value compared with. */
    value: z.string().max(L.maxValueLength).optional(),
    inverted: z.boolean().default(false),
    /** STR_* only. */
    caseInsensitive: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const op = c.operator;
    if (has(LIST_OPERATORS, op) || has(STRING_OPERATORS, op)) {
      if (!c.values.some((v) => v.trim() !== '')) {
        ctx.addIssue({ code: 'custom', path: ['values'], message: `${op} needs at least one value` });
      }
      return;
    }
    const v = c.value;
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${op} needs a value` });
    } else if (has(NUMBER_OPERATORS, op) && parseNumber(v) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${op}: "${v}" is not a number` });
    } else if (has(DATE_OPERATORS, op) && parseDateTime(v) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${op}: "${v}" is not an RFC 3339 date-time with a zone (e.g. 2026-12-01T18:00:00Z)`,
      });
    } else if (has(SEMVER_OPERATORS, op) && !isSemver(v)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${op}: "${v}" is not a semantic version (e.g. 1.2.3)`,
      });
    }
  });

const constraints = z.array(constraintSchema).max(L.maxConstraintsPerStrategy).default([]);

export const strategySchema = z.discriminatedUnion('type', [
  /** On for every context that meets the constraints. */
  z.object({ type: z.literal('default'), constraints }),
  z.object({
    type: z.literal('gradualRollout'),
    constraints,
    percentage: z
      .number({ error: 'percentage must be a number from 0 to 100' })
      .int('percentage must be a whole number from 0 to 100')
      .min(0, 'percentage must be from 0 to 100')
      .max(100, 'percentage must be from 0 to 100'),
    /** `default` (userId, else sessionId, else random), `random`, or a context field name. */
    stickiness: contextName.default('default'),
    /** Defaults to the flag key; changing it reshuffles every user. */
    groupId: z.string().trim().min(1).max(L.maxKeyLength).optional(),
  }),
  z.object({
    type: z.literal('userIds'),
    constraints,
    userIds: z
      .array(z.string().min(1).max(L.maxValueLength))
      .min(1, 'a user-id list needs at least one user id')
      .max(
        L.maxUserIds,
        `a user-id list holds at most ${L.maxUserIds} user ids; use a constraint or segment`,
      ),
  }),
]);

export const payloadSchema = z.object({
  type: z.enum(PAYLOAD_TYPES),
  value: z.string().max(L.maxPayloadLength),
});

export const variantSchema = z.object({
  name: z.string().trim().min(1).max(L.maxKeyLength),
  weight: z.number().int('variant weights are whole numbers (1000 = 100 %)').min(0).max(L.variantWeightTotal),
  payload: payloadSchema.optional(),
  /** A context whose field is in `values` gets this variant before any weighting. */
  overrides: z
    .array(
      z.object({ contextName, values: z.array(z.string().max(L.maxValueLength)).max(L.maxOverrideValues) }),
    )
    .max(L.maxConstraintsPerStrategy)
    .default([]),
});

const PAYLOAD_FOR: Record<(typeof FLAG_TYPES)[number], readonly string[]> = {
  boolean: PAYLOAD_TYPES,
  string: ['string', 'csv'],
  number: ['number'],
  json: ['json'],
};

export const flagConfigSchema = z
  .object({
    key: z
      .string()
      .min(1)
      .max(L.maxKeyLength)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'flag keys use letters, digits, ".", "_" and "-"'),
    type: z.enum(FLAG_TYPES),
    enabled: z.boolean(),
    /** OR: the first strategy that holds turns the flag on. */
    strategies: z.array(strategySchema).max(L.maxStrategies).default([]),
    variants: z.array(variantSchema).max(L.maxVariants).default([]),
    variantStickiness: contextName.default('default'),
    /** Echoed in flagMetadata. */
    version: z.number().int().min(0).optional(),
    environment: z.string().max(L.maxKeyLength).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.variants.length > 0) {
      const total = f.variants.reduce((sum, v) => sum + v.weight, 0);
      if (total !== L.variantWeightTotal) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants'],
          message: `variant weights total ${total}; they must total ${L.variantWeightTotal} (= 100 %)`,
        });
      }
    }
    const seen = new Set<string>();
    f.variants.forEach((v, i) => {
      if (seen.has(v.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'name'],
          message: `duplicate variant "${v.name}"`,
        });
      }
      seen.add(v.name);
      const p = v.payload;
      if (!p) {
        if (f.type !== 'boolean') {
          ctx.addIssue({
            code: 'custom',
            path: ['variants', i, 'payload'],
            message: `a ${f.type} flag's variants need a payload`,
          });
        }
        return;
      }
      const path = ['variants', i, 'payload'];
      if (!PAYLOAD_FOR[f.type].includes(p.type)) {
        ctx.addIssue({ code: 'custom', path, message: `a ${f.type} flag cannot carry a ${p.type} payload` });
      } else if (p.type === 'json' && !isJson(p.value)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `variant "${v.name}": the JSON payload is not valid JSON`,
        });
      } else if (p.type === 'number' && parseNumber(p.value) === undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `variant "${v.name}": the number payload is not a number`,
        });
      }
    });
  });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export type FlagType = (typeof FLAG_TYPES)[number];
export type Operator = (typeof OPERATORS)[number];
export type PayloadType = (typeof PAYLOAD_TYPES)[number];
/** A flag's configuration in one environment, as stored and as the evaluator reads it. */
export type FlagConfig = z.output<typeof flagConfigSchema>;
/** The same before defaults are applied (what a form or a snapshot may send). */
export type FlagConfigInput = z.input<typeof flagConfigSchema>;
export type Constraint = z.output<typeof constraintSchema>;
export type Strategy = z.output<typeof strategySchema>;
export type Variant = z.output<typeof variantSchema>;
export type Payload = z.output<typeof payloadSchema>;
