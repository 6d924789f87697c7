/**
 * Reads a canary metric and its stable counterpart from the metric store (requirement 5), through queryWindow —
 * the one place rules read metrics — over one interval ending now: series of the service and environment grouped
 * by `version` (canary = target version, stable = stable version), or by `track` (canary / stable) when no series
 * carries the versions.
 */
import type { DbOrTx, Sql } from '@sextant/db';
import { eq, schema } from '@sextant/db';
import { DEFAULT_ERROR_MATCHER } from '../../schemas/metrics';
import type { AnalysisMetric } from '../../schemas/rollouts';
import { queryWindow, type WindowQuery } from '../metrics/query';

type Question = Pick<WindowQuery, 'selector' | 'fn' | 'errorMatcher'>;

export interface Subject {
  service: string;
  environment: string;
  canaryVersion: string;
  stableVersion: string | null;
}

export type Reading = { canary: number | null; stable: number | null } | { error: string };

/** The metric each query kind reads; a metric rule of Alerting I reads its own condition's metric. */
async function questionOf(tx: DbOrTx, metric: AnalysisMetric): Promise<Question | string> {
  const q = metric.query;
  const errorMatcher = { ...DEFAULT_ERROR_MATCHER };
  switch (q.kind) {
    case 'error_ratio':
      return { selector: { name: 'http_requests_total', matchers: [] }, fn: 'error_ratio', errorMatcher };
    case 'latency_p95':
    case 'latency_p99':
      return {
        selector: { name: 'http_request_duration_seconds', matchers: [] },
        fn: q.kind === 'latency_p95' ? 'p95' : 'p99',
        errorMatcher,
      };
    case 'metric_rule': {
      const [rule] = await tx
        .select({ condition: schema.alertRules.condition })
        .from(schema.alertRules)
        .where(eq(schema.alertRules.id, q.ruleId));
      const c = rule?.condition;
      if (c?.kind !== 'metric') return `alert rule ${q.ruleId} is not a metric rule`;
      return {
        selector: { name: c.metric, matchers: c.matchers },
        fn: c.fn,
        errorMatcher: c.errorMatcher ?? errorMatcher,
      };
    }
  }
}

export async function readCanaryAndStable(
  tx: DbOrTx,
  sql: Sql,
  metric: AnalysisMetric,
  subject: Subject,
  nowMs: number,
): Promise<Reading> {
  const question = await questionOf(tx, metric);
  if (typeof question === 'string') return { error: question };
  const base = [
    ...question.selector.matchers.filter((m) => m.label !== 'version' && m.label !== 'track'),
    { label: 'service', op: '=' as const, value: subject.service },
    { label: 'environment', op: '=' as const, value: subject.environment },
  ];
  const ask = async (label: 'version' | 'track') => {
    const { groups } = await queryWindow(sql, {
      ...question,
      selector: { name: question.selector.name, matchers: base },
      by: [label],
      windowSeconds: metric.intervalSeconds,
      at: new Date(nowMs),
    });
    return (value: string | null) =>
      groups.find((g) => value !== null && g.labels[label] === value)?.value ?? null;
  };
  try {
    const byVersion = await ask('version');
    const canary = byVersion(subject.canaryVersion);
    const stable = byVersion(subject.stableVersion);
    if (canary !== null || stable !== null) return { canary, stable };
    const byTrack = await ask('track');
    return { canary: byTrack('canary'), stable: byTrack('stable') };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
