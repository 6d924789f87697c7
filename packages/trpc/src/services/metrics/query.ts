import type { Sql } from '@sextant/db';
import { AppError, findCode } from '../../errors';
import { METRIC_LIMITS, type MetricQuery } from '../../schemas/metrics';
import { isServiceTier, pickTier, type Tier } from './query-plan';
import { serviceStatement } from './query-service';
import { aggregateStatement, tierRunStatement, type Window } from './query-sql';
import { checkMatchers, checkSelection, tooManyGroups } from './series';

type Values = (number | null)[];

export interface QueryResult {
  tier: Tier;
  step: number;
  /**
   * Series the selector matched (read), not the number answered; on the service tier, the most series one stored
   * bucket added up (series without samples in the window are not counted).
   */
  series: number;
  /** Start of the first bucket in epoch milliseconds; bucket `i` starts at `start + i * step * 1000`. */
  start: number;
  /** One value per bucket, `null` where there is no data: flat numbers serialise far cheaper than objects. Empty with `by`. */
  values: Values;
  /** With `by`: one series per distinct value set of those labels (labels a series lacks are left out). */
  groups?: { labels: Record<string, string>; values: Values }[];
}

/**
 * metrics.query: aligned buckets of `step` seconds over [from, to), aggregated in Postgres from the coarsest tier that
 * fits (query-plan.ts), over any number of matched series up to METRIC_LIMITS.matchedSeries; at most
 * `returnedSeries` groups answer (internal callers such as the fleet page may lift that). Every tier gives the same
 * answer: sums, counts and extremes add up, and rates and quantiles add up each sample's increase (increase.ts).
 */
export async function runQuery(
  sql: Sql,
  q: MetricQuery,
  { returnedSeries = METRIC_LIMITS.returnedSeries as number } = {},
): Promise<QueryResult> {
  if (q.fn === 'error_ratio') checkMatchers([q.errorMatcher]);
  const tier = pickTier(q);
  const first = Math.floor(q.from.getTime() / 1000 / q.step);
  const last = Math.ceil(q.to.getTime() / 1000 / q.step); // exclusive
  const empty = (): Values => new Array(Math.max(0, last - first)).fill(null);
  const w: Window = { tier, step: q.step, first, last };
  let matched: number;
  let rows: { g: string; j: string }[];
  if (isServiceTier(tier)) {
    checkMatchers(q.selector.matchers);
    const answer = await expensive(() => serviceStatement(sql, q, { ...w, tier }));
    matched = answer[0]?.matched ?? 0;
    rows = answer.filter((r): r is typeof r & { g: string; j: string } => r.g !== null && r.j !== null);
    if (rows.length > returnedSeries) throw tooManyGroups(rows.length);
  } else {
    matched = await checkSelection(sql, q.selector, q.by);
    if (matched === 1) {
      const run = await tierRun(sql, q, w);
      if (run) return { tier, step: q.step, series: matched, start: first * q.step * 1000, values: run };
    }
    rows =
      matched === 0
        ? []
        : await expensive(() =>
            sql.begin(async (tx) => {
              // The selection's row estimate is a guess (jsonb matchers): a nested loop over it would compare every
              // sample with every selected series; hash joins are linear.
              await tx`set local enable_nestloop = off`;
              return tx<{ g: string; j: string }[]>`${aggregateStatement(tx, q, { ...w, tier })}`;
            }),
          );
  }
  const answer: QueryResult = {
    tier,
    step: q.step,
    series: matched,
    start: first * q.step * 1000,
    values: [],
  };
  const groups = rows.map(({ g, j }) => {
    const values = empty();
    const flat = JSON.parse(`[${j}]`) as Values;
    for (let i = 0; i < flat.length; i += 2) values[flat[i]! - first] = flat[i + 1]!;
    return { labels: JSON.parse(g) as Record<string, string>, values };
  });
  if (q.by.length === 0) return { ...answer, values: groups[0]?.values ?? empty() };
  groups.sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
  return { ...answer, groups };
}

/** The aggregate runs under the pool's statement timeout; running out is the caller's too-wide query, not a 5xx. */
async function expensive<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (findCode(err) !== '57014') throw err;
    throw new AppError(
      'QUERY_TOO_EXPENSIVE',
      'The query took longer than the statement timeout; add label matchers, group by fewer labels or use a larger step.',
    );
  }
}

/** A single series at its tier's width read as one contiguous run; null when that does not apply or has gaps. */
async function tierRun(sql: Sql, q: MetricQuery, w: Window): Promise<Values | null> {
  const statement = tierRunStatement(sql, q, w);
  if (!statement) return null;
  const [row] = await expensive(() => statement);
  if (row?.matched !== 1) return null;
  const values: Values = new Array(Math.max(0, w.last - w.first)).fill(null);
  if (!row.first || !row.last || !row.j) return values;
  const stepMs = w.step * 1000;
  if (Math.round((row.last.getTime() - row.first.getTime()) / stepMs) + 1 !== row.n) return null;
  const offset = Math.round(row.first.getTime() / stepMs) - w.first;
  for (const [i, v] of (JSON.parse(`[${row.j}]`) as Values).entries()) values[offset + i] = v;
  return values;
}
