/**
 * Input schemas of silences and inhibition rules (spec alerting.md A6). Client-safe: zod only, so the console's
 * forms validate with them. Regex syntax, linear time and program size need RE2, so the services check those
 * (services/alerting/matchers.ts, reusing the metric matchers' checkMatchers), as metrics.query does.
 */
import { z } from 'zod';
import { unstorableText } from '../input-guard';
import { labelName, matcherSchema } from './metrics';
import { boundedDate } from './time-range';

export const ALERT_MATCHER_LIMITS = {
  /** Matchers in one set: the same bound as a metric selector's. */
  matchers: 20,
  /** Label names an inhibition rule's `equal` may list. */
  equalLabels: 20,
  createdByLength: 200,
  commentLength: 2_000,
  nameLength: 100,
} as const;

/** Text stored as-is (jsonb/text): trimmed, non-empty, bounded, no NUL or lone surrogate. */
const storedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Required.')
    .max(max)
    .superRefine((v, ctx) => {
      const problem = unstorableText(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** One Alertmanager-style matcher: the metric matcher's shape and bounds, plus values that Postgres can store. */
export const alertMatcherSchema = matcherSchema.superRefine((m, ctx) => {
  const problem = unstorableText(m.value);
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
});

export type AlertMatcher = z.infer<typeof alertMatcherSchema>;

/** A matcher set (AND); empty sets are refused: they would match every alert. */
export const matcherSetSchema = z
  .array(alertMatcherSchema)
  .min(1, 'At least one matcher is required.')
  .max(ALERT_MATCHER_LIMITS.matchers);

const silenceFields = {
  matchers: matcherSetSchema,
  startsAt: boundedDate.optional(),
  endsAt: boundedDate,
  comment: storedText(ALERT_MATCHER_LIMITS.commentLength),
};

// The end is exclusive, so a silence ending where it starts would never mute anything.
const endsAfterStart: [
  (s: { startsAt?: Date; endsAt: Date }) => boolean,
  { message: string; path: string[] },
] = [
  (s) => !s.startsAt || s.endsAt > s.startsAt,
  { message: 'endsAt must be after startsAt.', path: ['endsAt'] },
];

/** A silence as the pure functions take it; `startsAt` omitted means now (the service clamps a past one). */
export const silenceInput = z
  .object({ ...silenceFields, createdBy: storedText(ALERT_MATCHER_LIMITS.createdByLength) })
  .refine(...endsAfterStart);

/** A silence as the console or the API sends it: the author is whoever is signed in, never typed. */
export const silenceRequest = z.object(silenceFields).refine(...endsAfterStart);

export type SilenceRequest = z.infer<typeof silenceRequest>;

/** What "preview before saving" takes: the matchers, and the times if already typed. */
export const silencePreviewInput = z.object({
  matchers: matcherSetSchema,
  startsAt: boundedDate.optional(),
  endsAt: boundedDate.optional(),
});

export type SilencePreviewInput = z.infer<typeof silencePreviewInput>;

export const SILENCE_STATES = ['active', 'pending', 'expired'] as const;

export type SilenceInput = z.infer<typeof silenceInput>;

/** Inhibition (spec A6): firing alerts matching `source` mute alerts matching `target` that agree on `equal`. */
export const inhibitionRuleInput = z.object({
  sourceMatchers: matcherSetSchema,
  targetMatchers: matcherSetSchema,
  equal: z
    .array(labelName)
    .max(ALERT_MATCHER_LIMITS.equalLabels)
    .default([])
    .refine((names) => new Set(names).size === names.length, 'Each label may be listed once.'),
});

export type InhibitionRuleInput = z.infer<typeof inhibitionRuleInput>;

/** An inhibition rule as the console or the API sends it: the rule and a name to list it by. */
export const inhibitionRuleRequest = inhibitionRuleInput.extend({
  name: storedText(ALERT_MATCHER_LIMITS.nameLength),
});

export type InhibitionRuleRequest = z.infer<typeof inhibitionRuleRequest>;

/** "Silence this alert": one `=` matcher per non-empty label, sorted by name (empty labels do not exist in AM). */
export function matchersFromLabels(labels: Readonly<Record<string, string>>): AlertMatcher[] {
  return Object.keys(labels)
    .filter((name) => labels[name] !== '')
    .sort()
    .map((name) => ({ label: name, op: '=' as const, value: labels[name]! }));
}
