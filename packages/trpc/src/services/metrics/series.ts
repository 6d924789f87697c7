import type { Queries, Sql } from '@sextant/db';
import { RE2JS } from 're2js';
import { AppError, findCode } from '../../errors';
import { METRIC_LIMITS, type MetricQuery } from '../../schemas/metrics';

/** How long a selector's size check is reused: dashboards re-ask every few seconds, new series may wait this long. */
export const SERIES_CACHE_MS = 2_000;
const SERIES_CACHE_ENTRIES = 1_000;

export type Matcher = MetricQuery['selector']['matchers'][number];

/** RE2 syntax Postgres reads differently or not at all: \b is a backspace there, no \p classes, \Q…\E or flag groups. */
function differsInPostgres(re: string): boolean {
  for (const [t] of re.matchAll(/\\(?:x\{|.)|\(\?(?!:)/gs))
    if (/^(?:\\[bBpPQECz]|\\x\{|\(\?)/.test(t)) return true;
  return false;
}

/**
 * Checks every pattern on RE2 before any work: Prometheus' syntax, linear time, so backreferences and lookarounds
 * are refused; and their program sizes together stay under the limit. Patterns then run in Postgres (below).
 */
export function checkMatchers(matchers: Matcher[]): void {
  let cost = 0;
  for (const m of matchers) {
    if (m.op !== '=~' && m.op !== '!~') continue;
    try {
      // Compiled alone, so a pattern like `a)|(.*` cannot escape the anchoring group added in SQL.
      cost += RE2JS.compile(m.value, RE2JS.DOTALL).programSize();
    } catch {
      throw new AppError(
        'VALIDATION_FAILED',
        `Label matcher ${m.label}${m.op}"${m.value}" is not a valid regular expression (RE2 syntax).`,
      );
    }
    if (differsInPostgres(m.value)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Label matcher ${m.label}${m.op}"${m.value}" uses \\b, \\B, \\p, \\Q…\\E, \\C, \\z, \\x{…} or a (?…) group other than (?:…); these are not supported.`,
      );
    }
  }
  if (cost > METRIC_LIMITS.regexProgramSize) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The label matchers' regular expressions are too complex (more than ${METRIC_LIMITS.regexProgramSize} RE2 instructions together); simplify them.`,
    );
  }
}

/** The label's value in metric_series: a missing label is the empty string, as in Prometheus. */
const labelValue = (sql: Queries, label: string) => sql`coalesce(labels ->> ${label}, '')`;

/** One matcher as SQL over `value(label)`; patterns are fully anchored, as in Prometheus. */
function condition(sql: Queries, m: Matcher, value = labelValue(sql, m.label)) {
  if (m.op === '=') return sql`${value} = ${m.value}`;
  if (m.op === '!=') return sql`${value} <> ${m.value}`;
  // Postgres' `.` matches newlines, as Prometheus' (?s) does.
  return m.op === '=~' ? sql`${value} ~ ${`^(?:${m.value})$`}` : sql`${value} !~ ${`^(?:${m.value})$`}`;
}

/** All matchers as SQL; `value` gives a label's value (a column of the service tier, or from metric_series' labels). */
export function conditions(
  sql: Queries,
  matchers: Matcher[],
  value: (label: string) => ReturnType<Queries['unsafe']> = (label) => labelValue(sql, label),
) {
  return matchers.reduce((all, m) => sql`${all} and ${condition(sql, m, value(m.label))}`, sql`true`);
}

/** The refusal of a query answering more than METRIC_LIMITS.returnedSeries groups. */
export function tooManyGroups(groups: number) {
  return new AppError(
    'VALIDATION_FAILED',
    `The query would return ${groups} series (the limit is ${METRIC_LIMITS.returnedSeries}); group by fewer labels or add label matchers.`,
  );
}

/**
 * Runs label matching in Postgres, off the event loop, in a transaction whose statement_timeout bounds what a
 * caller's patterns may cost (a lower pool-wide timeout stays); running out is QUERY_TOO_EXPENSIVE, not a 5xx.
 */
export async function boundedMatching<T>(sql: Sql, run: (tx: Queries) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await tx`
        select set_config('statement_timeout', least(nullif(setting::int, 0), ${METRIC_LIMITS.matchTimeoutMs}::int)::text, true)
        from pg_settings where name = 'statement_timeout'`;
      return run(tx);
    })) as T;
  } catch (err) {
    if (findCode(err) !== '57014') throw err;
    throw new AppError(
      'QUERY_TOO_EXPENSIVE',
      `Matching the labels took over ${METRIC_LIMITS.matchTimeoutMs} ms; add equality matchers or simplify the regular expressions.`,
    );
  }
}

/** An `le` label's text as float8 (`+Inf` included), null when it is missing or not a number. */
export const LE_AS_NUMBER = (text: string) =>
  `(case when pg_input_is_valid(${text}, 'float8') then (${text})::float8 end)`;

/**
 * The selected series as SQL rows `(id, g, err, le)`: `g` is the group key (the `by` labels a series has, as jsonb,
 * missing ones left out as in Prometheus), `err` whether error_ratio counts the series as errors and `le` the
 * series' `le` label as a number (classic `_bucket` counters, read by quantiles), null if it has none.
 */
export function selection(
  sql: Queries,
  selector: MetricQuery['selector'],
  by: readonly string[],
  errorMatcher?: Matcher,
) {
  // Non-empty equality matchers also go through `@>` so the GIN index narrows the rows first.
  const equal = Object.fromEntries(
    selector.matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.label, m.value]),
  );
  const g =
    by.length === 0
      ? sql`'{}'::jsonb`
      : sql`jsonb_strip_nulls(jsonb_build_object(${by.reduce(
          (all, label, i) => sql`${all}${i ? sql`, ` : sql``}${label}::text, labels -> ${label}::text`,
          sql``,
        )}))`;
  const err = errorMatcher ? condition(sql, errorMatcher) : sql`false`;
  return sql`
    select id, ${g} as g, ${err} as err, ${sql.unsafe(LE_AS_NUMBER("labels ->> 'le'"))} as le from metric_series
    where name = ${selector.name} and labels @> ${JSON.stringify(equal)}::jsonb and ${conditions(sql, selector.matchers)}`;
}

const caches = new WeakMap<Sql, Map<string, { at: number; matched: number; groups: number }>>();

/** How many groups a caller accepts, and its refusal (an alert rule's series limit names the rule's field). */
export interface GroupLimit {
  max: number;
  refuse(groups: number): AppError;
}

/**
 * Checks what a query would cost before it runs: at most `matchedSeries` series read (else QUERY_TOO_EXPENSIVE)
 * and at most `groupLimit.max` groups answered (else its refusal). Returns the matched count; an answer
 * younger than SERIES_CACHE_MS is reused, refusals are never cached.
 */
export async function checkSelection(
  sql: Sql,
  selector: MetricQuery['selector'],
  by: readonly string[],
  groupLimit: GroupLimit = { max: METRIC_LIMITS.returnedSeries, refuse: tooManyGroups },
): Promise<number> {
  checkMatchers(selector.matchers);
  let cache = caches.get(sql);
  if (!cache) {
    cache = new Map();
    caches.set(sql, cache);
  }
  const key = JSON.stringify([selector.name, selector.matchers.map((m) => [m.label, m.op, m.value]), by]);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < SERIES_CACHE_MS) {
    if (hit.groups > groupLimit.max) throw groupLimit.refuse(hit.groups);
    return hit.matched;
  }
  const { matchedSeries } = METRIC_LIMITS;
  const [row] = await boundedMatching(
    sql,
    (tx) => tx<{ n: number; groups: number }[]>`
      select count(*)::int as n, count(distinct g)::int as groups
      from (${selection(tx, selector, by)} limit ${matchedSeries + 1}) s`,
  );
  const { n, groups } = row!;
  if (n > matchedSeries)
    throw new AppError(
      'QUERY_TOO_EXPENSIVE',
      `The selector matches over ${matchedSeries} series; add label matchers.`,
    );
  if (groups > groupLimit.max) throw groupLimit.refuse(groups);
  cache.delete(key);
  // Oldest first in insertion order: drop expired entries and keep the map bounded.
  for (const [k, v] of cache) {
    if (cache.size < SERIES_CACHE_ENTRIES && now - v.at < SERIES_CACHE_MS) break;
    cache.delete(k);
  }
  cache.set(key, { at: now, matched: n, groups });
  return n;
}
