import type { Sql } from '@sextant/db';
import { AppError, findCode } from '../../errors';
import type { MetricQuery } from '../../schemas/metrics';
import { aggregateStatement, type Tier, tierRunStatement, type Window } from './query-sql';
import { checkMatchers, checkSelection } from './series';

/** The coarsest stored tier whose resolution still divides the step. */
export function pickTier(step: number): Tier {
  if (step % 3600 === 0) return '1h';
  if (step % 60 === 0) return '1m';
  return 'raw';
}

type Values = (number | null)[];

export interface QueryResult {
  tier: Tier;
  step: number;
  /** Series the selector matched (read), not the number answered. */
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
 * fits, over any number of matched series up to METRIC_LIMITS.matchedSeries; at most `returnedSeries` groups answer.
 * Sums, counts, min and max come out the same from every tier; rates and quantiles use each bucket's last sample.
 */
export async function runQuery(sql: Sql, q: MetricQuery): Promise<QueryResult> {
  if (q.fn === 'error_ratio') checkMatchers([q.errorMatcher]);
  const matched = await checkSelection(sql, q.selector, q.by);
  const tier = pickTier(q.step);
  const first = Math.floor(q.from.getTime() / 1000 / q.step);
  const last = Math.ceil(q.to.getTime() / 1000 / q.step); // exclusive
  const empty = (): Values => new Array(Math.max(0, last - first)).fill(null);
  const answer: QueryResult = {
    tier,
    step: q.step,
    series: matched,
    start: first * q.step * 1000,
    values: [],
  };
  const w: Window = { tier, step: q.step, first, last };
  if (matched === 1) {
    const run = await tierRun(sql, q, w);
    if (run) return { ...answer, values: run };
  }
  const rows =
    matched === 0
      ? []
      : await expensive(() =>
          sql.begin(async (tx) => {
            // The selection's row estimate is a guess (jsonb matchers): a nested loop over it would compare every
            // sample with every selected series; hash joins are linear.
            await tx`set local enable_nestloop = off`;
            return tx<{ g: string; j: string }[]>`${aggregateStatement(tx, q, w)}`;
          }),
        );
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
