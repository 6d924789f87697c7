/**
 * What `alert_rules.condition` holds, per rule kind. Types only: the zod schemas that validate it live with the
 * other rule inputs in `@sextant/trpc` (schemas/alert-rules.ts), which the console bundles.
 */

export interface ConditionMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A check, heartbeat or scrape target is DOWN (or DEGRADED, if asked) for `runs` consecutive evaluations. */
export interface MonitorCondition {
  kind: 'monitor';
  target: { type: 'check' | 'heartbeat' | 'scrape_target'; id: string };
  statuses: ('down' | 'degraded')[];
  runs: number;
}

/** A `metrics.query` expression over the last `windowSeconds`, compared with a threshold per `by` label set. */
export interface MetricCondition {
  kind: 'metric';
  metric: string;
  fn: 'rate' | 'avg' | 'min' | 'max' | 'sum' | 'p50' | 'p95' | 'p99' | 'error_ratio';
  matchers: ConditionMatcher[];
  errorMatcher?: ConditionMatcher;
  by: string[];
  windowSeconds: number;
  comparison: '>' | '>=' | '<' | '<=' | '==' | '!=';
  threshold: number;
  /** Hysteresis: once firing, the alert clears only past this value (absent: when the comparison fails). */
  resolveThreshold?: number | null;
}

/** No sample for the selector within `windowSeconds`. */
export interface AbsenceCondition {
  kind: 'absence';
  metric: string;
  matchers: ConditionMatcher[];
  windowSeconds: number;
}

export type AlertCondition = MonitorCondition | MetricCondition | AbsenceCondition;

/** Templated annotations (spec: summary, description, runbook URL, plus any the user adds). */
export type AlertAnnotations = Record<string, string>;
