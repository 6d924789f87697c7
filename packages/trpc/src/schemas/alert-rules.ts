/**
 * Input of alert rules (spec alerting.md A2), shared by `alertRules.*` and the console's rule editor. Client-safe:
 * zod only. What needs the store or RE2 (metric exists, regexes, templates, series count) the service checks.
 */
import type {
  AbsenceCondition,
  ConditionMatcher,
  MetricCondition,
  MonitorCondition,
} from '@sextant/db/alert-condition';
import { ERROR_POLICIES, NO_DATA_POLICIES } from '@sextant/db/enums';
import { z } from 'zod';
import { unstorableText } from '../input-guard';
import { alertMatcherSchema } from './alerting-matchers';
import { intIn } from './int';
import { labelName, METRIC_LIMITS, metricName, queryFunctions } from './metrics';

const DAY = 86_400;

/** Every bound of a rule, checked before any work (a `for` of 10 years or 1,000 labels never reaches the store). */
export const ALERT_RULE_LIMITS = {
  nameLength: 200,
  forSeconds: { min: 0, max: 7 * DAY },
  keepFiringForSeconds: { min: 0, max: 7 * DAY },
  intervalSeconds: { min: 10, max: 3_600 },
  windowSeconds: { min: 10, max: 7 * DAY },
  /** Consecutive bad runs of a monitor rule. */
  runs: { min: 1, max: 100 },
  labels: 20,
  labelValueLength: 1_024,
  annotations: 20,
  /** Longest annotation template (and so the longest text a template is parsed from). */
  templateLength: 4_000,
  matchers: 20,
  /** Alerting series one evaluation may yield; 0 = up to the metrics query's own bound. */
  seriesLimit: { min: 0, max: METRIC_LIMITS.returnedSeries },
} as const;

/** A metric rule's functions: metrics.query's. */
export { queryFunctions };
export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;
export const MONITOR_TARGET_TYPES = ['check', 'heartbeat', 'scrape_target'] as const;
/** Labels the engine sets itself. */
export const RESERVED_RULE_LABELS = ['alertname'] as const;

/** A finite number: JSON carries no NaN, but superjson does, and Infinity compares as nothing useful. */
const finite = z.number('Enter a number.').refine(Number.isFinite, 'Must be a finite number.');

const storable = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const problem = unstorableText(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const matchers = z.array(alertMatcherSchema).max(ALERT_RULE_LIMITS.matchers).default([]);

export const monitorConditionSchema = z.object({
  kind: z.literal('monitor'),
  target: z.object({ type: z.enum(MONITOR_TARGET_TYPES), id: z.uuid() }),
  statuses: z
    .array(z.enum(['down', 'degraded']))
    .min(1, 'Pick at least one status.')
    .max(2)
    .refine((s) => new Set(s).size === s.length, 'Each status may be listed once.')
    .default(['down']),
  runs: intIn(ALERT_RULE_LIMITS.runs).default(2),
});

const windowSeconds = intIn(ALERT_RULE_LIMITS.windowSeconds);

export const metricConditionSchema = z
  .object({
    kind: z.literal('metric'),
    metric: metricName,
    fn: z.enum(queryFunctions),
    matchers,
    errorMatcher: alertMatcherSchema.optional(),
    by: z
      .array(labelName)
      .max(METRIC_LIMITS.groupLabels)
      .default([])
      .refine((b) => new Set(b).size === b.length, 'Each label may be listed once.'),
    windowSeconds,
    comparison: z.enum(COMPARISONS),
    threshold: finite,
    resolveThreshold: finite.nullable().optional(),
  })
  .superRefine((c, ctx) => {
    const r = c.resolveThreshold;
    if (r === undefined || r === null) return;
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['resolveThreshold'], message });
    if (c.comparison === '==' || c.comparison === '!=') issue('A resolve threshold needs <, <=, > or >=.');
    // Hysteresis: the alert clears past a value on the far side of the threshold, never before reaching it.
    else if (c.comparison.startsWith('>') && r > c.threshold)
      issue('The resolve threshold must not be above the threshold.');
    else if (c.comparison.startsWith('<') && r < c.threshold)
      issue('The resolve threshold must not be below the threshold.');
  });

export const absenceConditionSchema = z.object({
  kind: z.literal('absence'),
  metric: metricName,
  matchers,
  windowSeconds,
});

export const conditionSchema = z.discriminatedUnion('kind', [
  monitorConditionSchema,
  metricConditionSchema,
  absenceConditionSchema,
]);

/** Both directions: the schemas' output is exactly the stored jsonb type, so the two cannot drift. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const conditionTypesMatch: [
  Same<z.output<typeof alertMatcherSchema>, ConditionMatcher>,
  Same<z.output<typeof monitorConditionSchema>, MonitorCondition>,
  Same<z.output<typeof metricConditionSchema>, MetricCondition>,
  Same<z.output<typeof absenceConditionSchema>, AbsenceCondition>,
] = [true, true, true, true];
void conditionTypesMatch;

export const ruleLabelsSchema = z
  .record(
    labelName.refine((n) => !n.startsWith('__'), 'Label names starting with __ are reserved.'),
    storable(ALERT_RULE_LIMITS.labelValueLength).min(1, 'Label values cannot be empty.'),
  )
  .refine((l) => Object.keys(l).length <= ALERT_RULE_LIMITS.labels, {
    message: `At most ${ALERT_RULE_LIMITS.labels} labels.`,
  })
  .refine((l) => !RESERVED_RULE_LABELS.some((n) => Object.hasOwn(l, n)), {
    message: 'alertname is the rule name; it cannot be set as a label.',
  })
  .default({});

/** summary, description, runbook_url and custom ones; values are templates (services/alerting/templates.ts). */
export const annotationsSchema = z
  .record(labelName, storable(ALERT_RULE_LIMITS.templateLength))
  .refine((a) => Object.keys(a).length <= ALERT_RULE_LIMITS.annotations, {
    message: `At most ${ALERT_RULE_LIMITS.annotations} annotations.`,
  })
  .default({});

export const alertRuleInput = z.object({
  /** The alertname of every alert the rule raises. */
  name: storable(ALERT_RULE_LIMITS.nameLength).trim().min(1, 'Required.'),
  serviceId: z.uuid().nullable().default(null),
  condition: conditionSchema,
  forSeconds: intIn(ALERT_RULE_LIMITS.forSeconds, { max: 'At most 7 days.' }).default(0),
  keepFiringForSeconds: intIn(ALERT_RULE_LIMITS.keepFiringForSeconds, { max: 'At most 7 days.' }).default(0),
  intervalSeconds: intIn(ALERT_RULE_LIMITS.intervalSeconds).default(60),
  labels: ruleLabelsSchema,
  annotations: annotationsSchema,
  noDataPolicy: z.enum(NO_DATA_POLICIES).default('NoData'),
  errorPolicy: z.enum(ERROR_POLICIES).default('KeepLast'),
  seriesLimit: intIn(ALERT_RULE_LIMITS.seriesLimit).default(0),
  enabled: z.boolean().default(true),
});

export type AlertRuleInput = z.infer<typeof alertRuleInput>;
export type AlertRuleFormInput = z.input<typeof alertRuleInput>;
