import { createHash } from 'node:crypto';
import { type Queries, writeAudit } from '@sextant/db';
import type { z } from 'zod';
import { actorOf, type Context } from '../../context';
import { AppError } from '../../errors';
import type { clearLimitInput, LimitScope, setLimitInput } from '../../schemas/cardinality';
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
    readonly scope: LimitScope,
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
  // Read after the locks: an override set while this batch waited applies to it.
  const overrides = await limitOverrides(tx, [...metrics.keys()], [...services.keys()]);
  const dropped = new Set<S>();
  const check = (
    scope: LimitScope,
    groups: Map<string, NewSeries[]>,
    counts: { key: string; n: number }[],
    fallback: number,
  ) => {
    const current = new Map(counts.map((r) => [r.key, r.n]));
    for (const [key, all] of groups) {
      const added = all.filter((s) => !dropped.has(s as S));
      const now = current.get(key) ?? 0;
      const limit = overrides.get(`${scope}:${key}`) ?? fallback;
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

/** The admins' overrides for these metrics and services, by `scope:key`. */
export async function limitOverrides(tx: Queries, metrics: string[], services: string[]) {
  const rows = await tx<{ scope: LimitScope; key: string; max: number }[]>`
    select scope, key, max_series as max from metric_limits
    where (scope = 'metric' and key = any(${metrics}::text[])) or (scope = 'service' and key = any(${services}::text[]))`;
  return new Map(rows.map((r) => [`${r.scope}:${r.key}`, r.max]));
}

type AuditContext = Pick<Context, 'sql' | 'identity' | 'requestId' | 'ip'>;

function auditLimit(
  ctx: AuditContext,
  tx: Queries,
  action: string,
  target: string,
  before?: unknown,
  after?: unknown,
) {
  return writeAudit(tx, {
    actor: actorOf(ctx.identity),
    action,
    targetType: 'metric_limit',
    targetId: target,
    before,
    after,
    requestId: ctx.requestId,
    ip: ctx.ip,
  });
}

/** Sets a metric's or a service's series limit in place of the default, audited; batches check it from now on. */
export function setLimit(ctx: AuditContext, input: z.infer<typeof setLimitInput>) {
  const by = ctx.identity?.type === 'user' ? ctx.identity.userId : null;
  return ctx.sql.begin(async (tx) => {
    const [old] = await tx<{ maxSeries: number }[]>`
      select max_series as "maxSeries" from metric_limits where scope = ${input.scope} and key = ${input.key}
      for update`;
    await tx`
      insert into metric_limits (scope, key, max_series, updated_by) values (${input.scope}, ${input.key}, ${input.maxSeries}, ${by})
      on conflict (scope, key) do update set max_series = excluded.max_series, updated_at = now(), updated_by = excluded.updated_by`;
    const target = `${input.scope}:${input.key}`;
    await auditLimit(ctx, tx, 'metrics.limit.set', target, old, { maxSeries: input.maxSeries });
    return input;
  });
}

/** Removes an override, audited: the configured default applies again. */
export function clearLimit(ctx: AuditContext, input: z.infer<typeof clearLimitInput>) {
  return ctx.sql.begin(async (tx) => {
    const [old] = await tx<{ maxSeries: number }[]>`
      delete from metric_limits where scope = ${input.scope} and key = ${input.key}
      returning max_series as "maxSeries"`;
    if (!old) throw new AppError('NOT_FOUND', `No limit is set for ${input.scope} ${input.key}.`, ['key']);
    await auditLimit(ctx, tx, 'metrics.limit.clear', `${input.scope}:${input.key}`, old, undefined);
    return { scope: input.scope, key: input.key };
  });
}

/** Every override, largest scope first, for the Cardinality page. */
export function listLimits(sql: Queries) {
  return sql<{ scope: LimitScope; key: string; maxSeries: number; updatedAt: Date }[]>`
    select scope, key, max_series as "maxSeries", updated_at as "updatedAt" from metric_limits order by scope, key`;
}
