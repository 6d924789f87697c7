import type { Sql } from '@sextant/db';
import { AppError, findCode } from '../../errors';
import { METRIC_LIMITS, type MetricQuery } from '../../schemas/metrics';
import { isServiceTier, pickTier, type Tier, tierSeconds } from './query-plan';
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
  let rows: Rows;
  if (!isServiceTier(tier)) {
    matched = await checkSelection(sql, q.selector, q.by);
    if (matched === 1) {
      const run = await tierRun(sql, q, w);
      if (run) return { tier, step: q.step, series: matched, start: first * q.step * 1000, values: run };
    }
    rows = matched === 0 ? [] : (await aggregate(sql, q, w, returnedSeries)).rows;
  } else ({ matched, rows } = await aggregate(sql, q, w, returnedSeries));
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

type Rows = { g: string; j: string }[];

/** The one aggregate statement of a window on its tier: rows of (group, packed buckets), and the series it read. */
async function aggregate(
  sql: Sql,
  q: MetricQuery,
  w: Window,
  returnedSeries: number,
): Promise<{ matched: number; rows: Rows }> {
  const tier = w.tier;
  if (isServiceTier(tier)) {
    checkMatchers(q.selector.matchers);
    const answer = await expensive(() => serviceStatement(sql, q, { ...w, tier }));
    const rows = answer.filter((r): r is typeof r & { g: string; j: string } => r.g !== null && r.j !== null);
    if (rows.length > returnedSeries) throw tooManyGroups(rows.length);
    return { matched: answer[0]?.matched ?? 0, rows };
  }
  const matched = await checkSelection(sql, q.selector, q.by);
  const [, rows] = await expensive(() =>
    // The selection's row estimate is a guess (jsonb matchers): a nested loop over it would compare every
    // sample with every selected series; hash joins are linear. Both statements go in one round trip (pipelined).
    sql.begin((tx) => [
      tx`set local enable_nestloop = off`,
      tx<Rows>`${aggregateStatement(tx, q, { ...w, tier })}`,
    ]),
  );
  return { matched, rows };
}

/** An alert rule's question (services/alerting/conditions.ts): one value per `by` group over one window. */
export type WindowQuery = Pick<MetricQuery, 'selector' | 'fn' | 'errorMatcher' | 'by'> & {
  windowSeconds: number;
  /** The end of the window: the engine's evaluation time. */
  at: Date;
};

/**
 * One value per `by` group over the window ending at `at`, through the same tiers and statements as runQuery:
 * windows of whole minutes read the 1-minute rollups (whole hours from a day on, the hourly ones) and then end at
 * the tier's last complete bucket, whose rows line up with the window; other windows read raw samples up to `at`.
 * Groups without a value (no sample; an error ratio of no requests) are left out. The one place alert rules read
 * metrics, so an external store would be swapped in here.
 */
export async function queryWindow(
  sql: Sql,
  q: WindowQuery,
): Promise<{ tier: Tier; series: number; groups: { labels: Record<string, string>; value: number }[] }> {
  if (q.fn === 'error_ratio') checkMatchers([q.errorMatcher]);
  const step = q.windowSeconds;
  const resolution = step % 60 !== 0 ? step : step >= 86_400 && step % 3_600 === 0 ? 3_600 : 60;
  const tier = pickTier({ ...q, step: resolution });
  const width = tierSeconds(tier);
  const atS = q.at.getTime() / 1000;
  const end = width ? Math.floor(atS / width) * width : atS;
  const w: Window = { tier, step, first: 0, last: 1, origin: end - step };
  const query: MetricQuery = { ...q, step, from: new Date((end - step) * 1000), to: new Date(end * 1000) };
  // Always run the statement: the selection size check is cached briefly, and a series born since must count.
  const { matched, rows } = await aggregate(sql, query, w, METRIC_LIMITS.returnedSeries);
  const groups = rows.flatMap(({ g, j }) => {
    const value = (JSON.parse(`[${j}]`) as (number | null)[])[1];
    return value === null || value === undefined
      ? []
      : [{ labels: JSON.parse(g) as Record<string, string>, value }];
  });
  return { tier, series: matched, groups };
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
