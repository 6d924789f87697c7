/**
 * An alert's chart: its metric rule's query over a window, through the same query layer as the dashboards, with
 * the threshold lines and the spans the alert was firing (from its transitions).
 */

import type { MetricCondition } from '@sextant/db';
import { and, type Db, desc, gte, lt, lte, type Sql, schema } from '@sextant/db';
import { ALERT_LIST_LIMITS, type AlertRef } from '../../schemas/alerts';
import { DEFAULT_ERROR_MATCHER, type MetricQuery } from '../../schemas/metrics';
import { niceStep } from '../../schemas/time-range';
import { runQuery } from '../metrics/query';
import { historyOf, resolveAlert } from './alerts';
import type { Labels } from './matchers';
import { FIRING_STATES } from './state-at';

const t = schema.alertTransitions;

/** Buckets the chart aims for; the step is never finer than the rule's own window (what it evaluated). */
const CHART_BUCKETS = 300;

export interface Span {
  from: Date;
  /** Null: still firing at the end of the window. */
  to: Date | null;
}

/**
 * The intervals inside [from, to) during which the alert fired (firing or recovering), from its transitions in
 * ascending time; `before` is the state it was in at `from` (its last transition before the window), `endedAt`
 * when it stopped firing without a transition (an external alert whose endsAt passed).
 */
export function firingSpans(
  transitions: readonly { to: string; at: Date }[],
  window: { from: Date; to: Date },
  before: string | null,
  endedAt: Date | null = null,
): Span[] {
  const firing = (s: string | null) => s !== null && (FIRING_STATES as readonly string[]).includes(s);
  const spans: Span[] = [];
  let open: Date | null = firing(before) ? window.from : null;
  for (const tr of transitions) {
    if (tr.at < window.from || tr.at >= window.to) continue;
    if (firing(tr.to) && !open) open = tr.at;
    else if (!firing(tr.to) && open) {
      spans.push({ from: open, to: tr.at });
      open = null;
    }
  }
  if (open) {
    const end = endedAt && endedAt < window.to ? endedAt : null;
    if (!end || end > open) spans.push({ from: open, to: end });
  }
  return spans;
}

/** The alert's own series: the rule's selector narrowed to its `by` label values, aggregated into one line. */
export function alertQuery(
  c: MetricCondition,
  labels: Labels,
  window: { from: Date; to: Date },
): MetricQuery {
  const span = (window.to.getTime() - window.from.getTime()) / 1000;
  const step = niceStep(window.from.getTime(), window.to.getTime(), {
    buckets: CHART_BUCKETS,
    minSeconds: Math.min(c.windowSeconds, span / 60),
  });
  return {
    selector: {
      name: c.metric,
      // A label the series lacked is "" in the alert, which matches its absence, as in Prometheus.
      matchers: [
        ...c.matchers,
        ...c.by.map((label) => ({ label, op: '=' as const, value: labels[label] ?? '' })),
      ],
    },
    from: window.from,
    to: window.to,
    step,
    fn: c.fn,
    errorMatcher: c.errorMatcher ?? { ...DEFAULT_ERROR_MATCHER },
    by: [],
  };
}

export async function alertChart(
  ctx: { db: Db; sql: Sql },
  input: AlertRef & { from: Date; to: Date },
  now: Date,
) {
  const { instance, ruleId, rule } = await resolveAlert(ctx.db, input, now);
  const where = historyOf(input.fingerprint, ruleId);
  const [[prior], inWindow] = await Promise.all([
    ctx.db
      .select({ to: t.toState, labels: t.labels })
      .from(t)
      .where(and(where, lt(t.at, input.from)))
      .orderBy(desc(t.at), desc(t.id))
      .limit(1),
    ctx.db
      .select({ to: t.toState, at: t.at, labels: t.labels })
      .from(t)
      .where(and(where, gte(t.at, input.from), lte(t.at, input.to)))
      .orderBy(desc(t.at), desc(t.id))
      .limit(ALERT_LIST_LIMITS.history * 2),
  ]);
  inWindow.reverse();
  const endedAt = instance?.source === 'external' && instance.state === 'resolved' ? instance.endsAt : null;
  const spans = firingSpans(inWindow, input, prior?.to ?? null, endedAt);
  const labels = instance?.labels ?? inWindow.at(-1)?.labels ?? prior?.labels ?? {};
  const c = rule?.condition;
  if (c?.kind !== 'metric') return { from: input.from, to: input.to, spans, metric: null };
  const query = alertQuery(c, labels, input);
  const result = await runQuery(ctx.sql, query);
  return {
    from: input.from,
    to: input.to,
    spans,
    metric: {
      name: c.metric,
      fn: c.fn,
      comparison: c.comparison,
      threshold: c.threshold,
      resolveThreshold: c.resolveThreshold ?? null,
      start: result.start,
      step: result.step,
      values: result.values,
      tier: result.tier,
    },
  };
}
