import type { Sql } from '@sextant/db';
import { RE2JS } from 're2js';
import { AppError } from '../../errors';
import { METRIC_LIMITS, type MetricQuery } from '../../schemas/metrics';

export const MAX_SERIES = 500;
/** How long a selector's series list is reused: dashboards re-ask every few seconds, new series may wait this long. */
export const SERIES_CACHE_MS = 2_000;
const SERIES_CACHE_ENTRIES = 1_000;

export interface Series {
  id: string;
  labels: Record<string, string>;
  kind: string;
}

type Matcher = MetricQuery['selector']['matchers'][number];

type Predicate = ((labels: Record<string, string>) => boolean) & { cost: number };

/**
 * A predicate per matcher, with its cost (RE2 program size, 0 for equality). Patterns run on RE2 (linear time,
 * Prometheus' syntax), fully anchored with `.` matching newlines as Prometheus does; a caller's pattern on
 * JavaScript's backtracking engine could freeze the event loop. Each distinct label value is tested once.
 */
function compileMatcher(m: Matcher): Predicate {
  const pick = (labels: Record<string, string>) => labels[m.label] ?? '';
  if (m.op === '=') return Object.assign((l: Record<string, string>) => pick(l) === m.value, { cost: 0 });
  if (m.op === '!=') return Object.assign((l: Record<string, string>) => pick(l) !== m.value, { cost: 0 });
  let re: RE2JS;
  try {
    // Compiled alone, so a pattern like `a)|(.*` cannot escape the anchoring that testExact applies.
    re = RE2JS.compile(m.value, RE2JS.DOTALL);
  } catch {
    throw new AppError(
      'VALIDATION_FAILED',
      `Label matcher ${m.label}${m.op}"${m.value}" is not a valid regular expression (RE2 syntax).`,
    );
  }
  const want = m.op === '=~';
  const seen = new Map<string, boolean>();
  const test = (labels: Record<string, string>) => {
    const v = pick(labels);
    let hit = seen.get(v);
    if (hit === undefined) {
      hit = re.testExact(v);
      if (seen.size < 10_000) seen.set(v, hit);
    }
    return hit === want;
  };
  return Object.assign(test, { cost: re.programSize() });
}

/** Compiles a selector's matchers, refusing regexes that together cost more than the limit. */
export function compileMatchers(matchers: Matcher[]): Predicate[] {
  const tests = matchers.map(compileMatcher);
  if (tests.reduce((n, t) => n + t.cost, 0) > METRIC_LIMITS.regexProgramSize) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The label matchers' regular expressions are too complex (more than ${METRIC_LIMITS.regexProgramSize} RE2 instructions together); simplify them.`,
    );
  }
  return tests;
}

const caches = new WeakMap<Sql, Map<string, { at: number; series: Series[] }>>();

/** Finds the series a selector names, reusing an answer younger than SERIES_CACHE_MS; refusals are never cached. */
export async function resolveSeries(sql: Sql, selector: MetricQuery['selector']): Promise<Series[]> {
  let cache = caches.get(sql);
  if (!cache) {
    cache = new Map();
    caches.set(sql, cache);
  }
  const key = JSON.stringify([selector.name, selector.matchers.map((m) => [m.label, m.op, m.value])]);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < SERIES_CACHE_MS) return hit.series;
  const series = await lookUp(sql, selector);
  cache.delete(key);
  // Oldest first in insertion order: drop expired entries and keep the map bounded.
  for (const [k, v] of cache) {
    if (cache.size < SERIES_CACHE_ENTRIES && now - v.at < SERIES_CACHE_MS) break;
    cache.delete(k);
  }
  cache.set(key, { at: now, series });
  return series;
}

/** Refuses rather than scans when the selector matches too many. */
async function lookUp(sql: Sql, selector: MetricQuery['selector']): Promise<Series[]> {
  const tests = compileMatchers(selector.matchers);
  // Equality matchers use the GIN index; the rest are checked on the (already narrowed) rows.
  const equal = Object.fromEntries(
    selector.matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.label, m.value]),
  );
  const rows = await sql<Series[]>`
    select id::text, labels, kind from metric_series
    where name = ${selector.name} and labels @> ${JSON.stringify(equal)}::jsonb
    limit ${MAX_SERIES * 20}`;
  const found = rows.filter((r) => tests.every((t) => t(r.labels)));
  if (found.length > MAX_SERIES) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The selector matches ${found.length >= MAX_SERIES * 20 ? 'over ' : ''}${found.length} series; the limit is ${MAX_SERIES}. Add label matchers.`,
    );
  }
  return found;
}
