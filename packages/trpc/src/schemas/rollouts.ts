/**
 * Canary rollout definitions (spec A1/A2, requirements 3–7): the steps a rollout runs and the analysis templates
 * its analysis steps measure. Zod only, so the console's forms can use the same bounds.
 */
import { z } from 'zod';
import { DELIVERY_LIMITS, ROLLOUT_LIMITS as L } from '../limits';
import { intIn } from './int';

/** A release as a rollout names it: its id and the version string the deploy tool is told to run. */
export const releaseRef = z.object({
  id: z.string().trim().min(1).max(100),
  version: z.string().trim().min(1).max(DELIVERY_LIMITS.versionLength),
});
export type ReleaseRef = z.output<typeof releaseRef>;

export const METRIC_QUERY_KINDS = ['error_ratio', 'latency_p95', 'latency_p99', 'metric_rule'] as const;
export type MetricQueryKind = (typeof METRIC_QUERY_KINDS)[number];

/** What a metric measures on canary and stable (labels `version` or `track`); a rule of Alerting I by id. */
export const metricQuery = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('error_ratio') }),
  z.object({ kind: z.literal('latency_p95') }),
  z.object({ kind: z.literal('latency_p99') }),
  z.object({ kind: z.literal('metric_rule'), ruleId: z.uuid() }),
]);

/** max_ratio: canary ÷ stable; max_delta: canary − stable (absolute, in the metric's unit). */
export const COMPARISON_OPS = ['max_ratio', 'max_delta'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const threshold = z.number().finite().min(L.threshold.min).max(L.threshold.max);

/** Above `max` is a failure; above `marginal` (and at most `max`) is inconclusive (Kayenta's pass / marginal). */
export const comparison = z
  .object({ op: z.enum(COMPARISON_OPS), max: threshold, marginal: threshold.optional() })
  .refine((c) => c.marginal === undefined || c.marginal < c.max, {
    message: 'The marginal threshold must be below the maximum.',
    path: ['marginal'],
  });
export type Comparison = z.output<typeof comparison>;

/** One metric of an analysis template, with Argo's limits and defaults (analysis_types.go, defaults.go). */
export const analysisMetric = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(L.metricNameLength)
      .regex(/^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$/, 'Letters and digits, joined by "-", "_" or ".".'),
    query: metricQuery,
    comparison,
    intervalSeconds: intIn(L.intervalSeconds),
    count: intIn(L.count),
    /** -1 disables; failures above the limit fail the metric. */
    failureLimit: intIn(L.failureLimit).default(0),
    inconclusiveLimit: intIn(L.inconclusiveLimit).default(0),
    /** Consecutive measurement errors above the limit end the metric in `error`. */
    consecutiveErrorLimit: intIn(L.consecutiveErrorLimit).default(4),
    /** 0 = off; otherwise this many successes in a row succeed, and missing them at `count` is inconclusive. */
    consecutiveSuccessLimit: intIn(L.consecutiveSuccessLimit).default(0),
    /** Measured and reported, never decides the run. */
    dryRun: z.boolean().default(false),
  })
  .refine((m) => (m.count - 1) * m.intervalSeconds <= L.analysisSeconds, {
    message: `A metric's measurements span at most ${L.analysisSeconds / 3600} hours (count × interval).`,
    path: ['count'],
  })
  .refine((m) => m.consecutiveSuccessLimit <= m.count, {
    message: 'The success streak cannot be longer than the count.',
    path: ['consecutiveSuccessLimit'],
  });
export type AnalysisMetric = z.output<typeof analysisMetric>;

export const analysisTemplate = z
  .object({
    name: z.string().trim().min(1).max(L.templateNameLength).optional(),
    metrics: z.array(analysisMetric).min(1).max(L.metricsPerAnalysis),
  })
  .refine((t) => new Set(t.metrics.map((m) => m.name.toLowerCase())).size === t.metrics.length, {
    message: 'Metric names must be unique within a template.',
    path: ['metrics'],
  });
export type AnalysisTemplate = z.output<typeof analysisTemplate>;

export const rolloutStep = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setWeight'), weight: intIn(L.weight) }),
  /** No duration: paused until someone promotes. */
  z.object({ type: z.literal('pause'), durationSeconds: intIn(L.pauseSeconds).optional() }),
  z.object({ type: z.literal('analysis'), template: analysisTemplate }),
]);
export type RolloutStep = z.output<typeof rolloutStep>;

/**
 * A rollout's steps. Weights never go down: shrinking the canary mid-rollout is an abort, not a step (and a
 * falling weight would make "promote one step" move traffic back). Completion always publishes weight 100.
 */
export const rolloutSteps = z
  .array(rolloutStep)
  .min(1)
  .max(L.steps)
  .superRefine((steps, ctx) => {
    let last = 0;
    steps.forEach((step, i) => {
      if (step.type !== 'setWeight') return;
      if (step.weight < last) {
        ctx.addIssue({
          code: 'custom',
          message: `Step ${i + 1} sets weight ${step.weight}, below the ${last} before it; weights never go down.`,
          path: [i, 'weight'],
        });
      }
      last = Math.max(last, step.weight);
    });
  });
