import type { RollupTier } from '@sextant/db/enums';
import type { MetricQuery } from '../../schemas/metrics';
import { SERVICE_TIER_ERROR } from './service-tier';

/** Where a query reads: raw samples, per-series rollups, or the service tier (series added up per service). */
export type Tier = 'raw' | RollupTier | `service-${RollupTier}`;

/** The labels the service tier keeps as columns; matchers on others need the per-series tiers. */
export const SERVICE_TIER_LABELS = ['service', 'environment', 'le'] as const;
/** The labels the service tier can group by. */
const SERVICE_TIER_GROUPS = ['service', 'environment'];

const TIER_SECONDS: Record<RollupTier, number> = { '1m': 60, '1h': 3_600 };

/**
 * The coarsest stored tier whose resolution divides the step; the service tier of that resolution when every
 * matcher and `by` label is one of its columns and error_ratio asks for the errors it files (5xx statuses).
 */
export function pickTier(q: Pick<MetricQuery, 'step' | 'selector' | 'by' | 'fn' | 'errorMatcher'>): Tier {
  const rollup = (['1h', '1m'] as const).find((t) => q.step % TIER_SECONDS[t] === 0);
  if (!rollup) return 'raw';
  const keyed =
    q.selector.matchers.every((m) => (SERVICE_TIER_LABELS as readonly string[]).includes(m.label)) &&
    q.by.every((l) => SERVICE_TIER_GROUPS.includes(l));
  const e = q.errorMatcher;
  const errors =
    q.fn !== 'error_ratio' ||
    (e.label === SERVICE_TIER_ERROR.label &&
      e.op === SERVICE_TIER_ERROR.op &&
      e.value === SERVICE_TIER_ERROR.value);
  return keyed && errors ? `service-${rollup}` : rollup;
}

export const isServiceTier = (t: Tier): t is `service-${RollupTier}` => t.startsWith('service-');
export const tierSeconds = (t: Tier) =>
  t === 'raw' ? 0 : TIER_SECONDS[isServiceTier(t) ? (t.slice(8) as RollupTier) : t];
