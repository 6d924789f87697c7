import type { Sql } from '@sextant/db';
import { AppError } from '../../errors';
import type { MetricQuery } from '../../schemas/metrics';

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

/** A predicate per matcher; regular expressions are compiled once, not once per row. */
export function compileMatcher(m: Matcher): (labels: Record<string, string>) => boolean {
  if (m.op === '=') return (labels) => (labels[m.label] ?? '') === m.value;
  if (m.op === '!=') return (labels) => (labels[m.label] ?? '') !== m.value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    throw new AppError(
      'VALIDATION_FAILED',
      `Label matcher ${m.label}${m.op}"${m.value}" is not a valid regular expression.`,
    );
  }
  const want = m.op === '=~';
  return (labels) => re.test(labels[m.label] ?? '') === want;
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
  const tests = selector.matchers.map(compileMatcher);
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
