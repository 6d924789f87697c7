import { createHash } from 'node:crypto';
import type { Queries } from '@sextant/db';
import { AppError } from '../../errors';
import { METRIC_LIMITS } from '../../schemas/metrics';

/** How many series one metric name, and one `service` label, may have; the API reads them from its config. */
export interface SeriesLimits {
  perMetric: number;
  perService: number;
}

export const DEFAULT_SERIES_LIMITS: SeriesLimits = {
  perMetric: METRIC_LIMITS.seriesPerMetric,
  perService: METRIC_LIMITS.seriesPerService,
};

/** A batch would create series beyond a limit; thrown before any write, so nothing of the batch is stored. */
export class CardinalityLimitError extends AppError {
  constructor(
    readonly scope: 'metric' | 'service',
    readonly key: string,
    readonly limit: number,
    readonly current: number,
    readonly adding: number,
    readonly label: string | null,
    readonly newValues: number,
  ) {
    const n = (x: number) => x.toLocaleString('en-US');
    const cause = label
      ? `label "${label}" brings ${n(newValues)} new value${newValues === 1 ? '' : 's'}`
      : `${n(adding)} new series`;
    super(
      'CARDINALITY_LIMIT',
      `${scope} "${key}" would have ${n(current + adding)} series (limit ${n(limit)}): ${cause}; nothing was stored`,
    );
  }
}

export interface NewSeries {
  name: string;
  labels: Record<string, string>;
}

// Labels shared by a service's series (and the name): on a tie another label explains the growth better.
const AMBIENT = new Set(['__name__', 'service', 'environment', 'instance']);

/**
 * The label with the most distinct values among these new series: the one that exploded. `__name__` counts too
 * when the series span metrics (a service's limit).
 */
export function explodedLabel(series: NewSeries[]): { label: string | null; values: number } {
  const values = new Map<string, Set<string>>();
  for (const s of series) {
    for (const k of ['__name__', ...Object.keys(s.labels)]) {
      const value = k === '__name__' ? s.name : s.labels[k]!;
      const set = values.get(k);
      if (set) set.add(value);
      else values.set(k, new Set([value]));
    }
  }
  let best: { label: string | null; values: number } = { label: null, values: 0 };
  for (const [label, set] of [...values].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const better =
      set.size > best.values ||
      (set.size === best.values && best.label !== null && AMBIENT.has(best.label) && !AMBIENT.has(label));
    if (better) best = { label, values: set.size };
  }
  return best;
}

// Advisory locks as (class, key) int pairs: a namespace of their own, apart from the single-bigint locks.
const LOCK_CLASS = 0x5345; // "SE"
const lockId = (key: string) => createHash('sha256').update(key).digest().readInt32BE(0);

function groupBy(series: NewSeries[], keyOf: (s: NewSeries) => string | undefined) {
  const groups = new Map<string, NewSeries[]>();
  for (const s of series) {
    const key = keyOf(s);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** What a batch does about new series beyond a limit: refuse all of it, or store the rest without them. */
export type OnLimit = 'refuse' | 'dropNewSeries';

export interface LimitOutcome<S> {
  /** Candidates still new after the wait (others may have made some), minus any dropped. */
  fresh: S[];
  /** With `dropNewSeries`: the new series left out, and the first limit they met. */
  dropped: S[];
  refusal: CardinalityLimitError | null;
}

/**
 * Inside the batch's transaction, before it creates `candidates` (series not found a moment ago): locks their
 * metrics and services, so concurrent batches count one after the other. Over a limit it throws
 * CardinalityLimitError (`refuse`), or keeps the first new series that fit and drops the others (`dropNewSeries`).
 */
export async function checkSeriesLimits<S extends NewSeries & { hash: string }>(
  tx: Queries,
  candidates: S[],
  limits: SeriesLimits,
  onLimit: OnLimit = 'refuse',
): Promise<LimitOutcome<S>> {
  const byMetric = groupBy(candidates, (s) => s.name);
  const byService = groupBy(candidates, (s) => s.labels.service);
  // Locks in id order, deduplicated: any two batches take their common locks in the same order (no deadlock).
  const ids = [
    ...new Set(
      [...byMetric.keys()]
        .map((m) => lockId(`metric:${m}`))
        .concat([...byService.keys()].map((s) => lockId(`service:${s}`))),
    ),
  ].sort((a, b) => a - b);
  await tx`select count(pg_advisory_xact_lock(${LOCK_CLASS}, id)) from unnest(${ids}::int4[]) id`;

  const made = new Set(
    (
      await tx<{ hash: string }[]>`
        select hash from metric_series where hash = any(${candidates.map((s) => s.hash)}::text[])`
    ).map((r) => r.hash),
  );
  const fresh = made.size === 0 ? candidates : candidates.filter((s) => !made.has(s.hash));
  const outcome: LimitOutcome<S> = { fresh, dropped: [], refusal: null };
  if (fresh.length === 0) return outcome;

  const metrics = groupBy(fresh, (s) => s.name);
  const services = groupBy(fresh, (s) => s.labels.service);
  const metricCounts = await tx<{ key: string; n: number }[]>`
    select name as key, count(*)::int as n from metric_series
    where name = any(${[...metrics.keys()]}::text[]) group by name`;
  const serviceCounts =
    services.size === 0
      ? []
      : await tx<{ key: string; n: number }[]>`
          select labels->>'service' as key, count(*)::int as n from metric_series
          where labels->>'service' = any(${[...services.keys()]}::text[]) group by 1`;
  const dropped = new Set<S>();
  const check = (
    scope: 'metric' | 'service',
    groups: Map<string, NewSeries[]>,
    counts: { key: string; n: number }[],
    limit: number,
  ) => {
    const current = new Map(counts.map((r) => [r.key, r.n]));
    for (const [key, all] of groups) {
      const added = all.filter((s) => !dropped.has(s as S));
      const now = current.get(key) ?? 0;
      if (now + added.length <= limit) continue;
      const { label, values } = explodedLabel(added);
      const error = new CardinalityLimitError(scope, key, limit, now, added.length, label, values);
      if (onLimit === 'refuse') throw error;
      outcome.refusal ??= error;
      for (const s of added.slice(Math.max(0, limit - now))) dropped.add(s as S);
    }
  };
  check('metric', metrics, metricCounts, limits.perMetric);
  check('service', services, serviceCounts, limits.perService);
  if (dropped.size > 0) {
    outcome.fresh = fresh.filter((s) => !dropped.has(s));
    outcome.dropped = [...dropped];
  }
  return outcome;
}
