import type { Db } from '@sextant/db';
import { FLAG_EVALUATION_LIMITS } from '../../limits';
import { type FlagEvaluationCountsInput, flagEvaluationCountsInput } from '../../schemas/flag-evaluations';
import {
  DEFAULT_ERROR_MATCHER,
  METRIC_LIMITS,
  type MetricBatch,
  type MetricQuery,
} from '../../schemas/metrics';
import { ingestBatch } from '../metrics/ingest';
import { DEFAULT_SERIES_LIMITS, type SeriesLimits } from '../metrics/limits';
import { runQuery } from '../metrics/query';
import { markFlagsEvaluated } from './store';

/**
 * Evaluations per flag, environment and variant (issue 18 point 3). Stored as a delta_counter: each flush writes
 * what this instance counted since its last flush, and the store takes such a sample as its own increase
 * (increase.ts), so any number of instances add up in one series. A cumulative counter would lose counts here:
 * its first sample, and any sample over counterLookbackMs after the previous one (a rarely evaluated flag),
 * count no increase; and an `instance` label would add series at every restart.
 */
export const FLAG_EVALUATIONS_METRIC = 'sextant_flag_evaluations_total';

/** The labels of the one series that takes the counts of keys beyond FLAG_EVALUATION_LIMITS.counterKeys. */
export const OTHER_BUCKET = '(other)';

/** Buckets for evaluations without a variant; parenthesised so no variant name (letters, digits, ._-) meets them. */
export const EVALUATION_BUCKETS = {
  on: '(on)',
  off: '(off)',
  disabled: '(disabled)',
  default: '(default)',
  error: '(error)',
} as const;

/** What an evaluation is counted under: its variant, else the boolean answer, else why the code default stood. */
export function evaluationBucket(d: { variant?: string; reason: string; value: unknown }): string {
  if (d.variant !== undefined) return d.variant;
  if (d.reason === 'ERROR') return EVALUATION_BUCKETS.error;
  if (d.reason === 'DISABLED') return EVALUATION_BUCKETS.disabled;
  if (typeof d.value === 'boolean') return d.value ? EVALUATION_BUCKETS.on : EVALUATION_BUCKETS.off;
  return EVALUATION_BUCKETS.default;
}

/** A mutable count, so a repeated key is one `+=` with no Map write or allocation. */
interface Cell {
  n: number;
}

interface Taken {
  counts: { flag: string; environment: string; bucket: string; n: number }[];
  other: number;
}

export interface FlushResult {
  /** Samples written (one per counted key, plus the overflow's). */
  points: number;
  /** Flags whose last_evaluated_at was set. */
  flags: number;
  /** Evaluations of keys naming no flag or no environment: not stored (a client asking for anything). */
  unknown: number;
}

const EMPTY: FlushResult = { points: 0, flags: 0, unknown: 0 };

/** A label value the store takes (jsonb refuses NUL; labels are bounded); anything else is counted as other. */
const storable = (v: string) =>
  v.length > 0 && v.length <= METRIC_LIMITS.labelValueLength && !v.includes('\0');

/**
 * One per API instance: `record` on every evaluation (three Map lookups, no allocation once a key is known),
 * `flush` every FLAG_EVALUATION_LIMITS.flushEverySeconds and on shutdown. Keys idle for a whole interval are
 * forgotten at the flush, so the cap bounds the keys of one interval, not of the process' life.
 */
export class FlagEvaluationCounter {
  private readonly byFlag = new Map<string, Map<string, Map<string, Cell>>>();
  private keys = 0;
  private other = 0;

  constructor(private readonly maxKeys: number = FLAG_EVALUATION_LIMITS.counterKeys) {}

  record(flagKey: string, environment: string, bucket: string, n = 1): void {
    let envs = this.byFlag.get(flagKey);
    let buckets = envs?.get(environment);
    const cell = buckets?.get(bucket);
    if (cell !== undefined) {
      cell.n += n;
      return;
    }
    if (this.keys >= this.maxKeys) {
      this.other += n;
      return;
    }
    if (envs === undefined) {
      envs = new Map();
      this.byFlag.set(flagKey, envs);
    }
    if (buckets === undefined) {
      buckets = new Map();
      envs.set(environment, buckets);
    }
    buckets.set(bucket, { n });
    this.keys++;
  }

  /** Distinct keys held now (for tests and /metrics). */
  get size(): number {
    return this.keys;
  }

  /** Takes the counts and zeroes them, synchronously, so evaluations during the flush's writes count next time. */
  private take(): Taken {
    const counts: Taken['counts'] = [];
    for (const [flag, envs] of this.byFlag) {
      for (const [environment, buckets] of envs) {
        for (const [bucket, cell] of buckets) {
          if (cell.n === 0) {
            buckets.delete(bucket);
            this.keys--;
          } else {
            counts.push({ flag, environment, bucket, n: cell.n });
            cell.n = 0;
          }
        }
        if (buckets.size === 0) envs.delete(environment);
      }
      if (envs.size === 0) this.byFlag.delete(flag);
    }
    const other = this.other;
    this.other = 0;
    return { counts, other };
  }

  /** A failed flush's counts go back, to be written by the next one (over the cap they go to other). */
  private restore(taken: Taken): void {
    for (const c of taken.counts) this.record(c.flag, c.environment, c.bucket, c.n);
    this.other += taken.other;
  }

  /**
   * Writes the counts since the last flush as delta samples at `now`, and sets each counted flag's
   * last_evaluated_at, in one transaction. Nothing counted writes nothing. Environment names are matched
   * case-insensitively and stored as spelled in `environments`.
   */
  async flush(db: Db, o: { now?: number; limits?: SeriesLimits } = {}): Promise<FlushResult> {
    const taken = this.take();
    if (taken.counts.length === 0 && taken.other === 0) return EMPTY;
    try {
      return await write(db, taken, o.now ?? Date.now(), o.limits ?? DEFAULT_SERIES_LIMITS);
    } catch (err) {
      this.restore(taken);
      throw err;
    }
  }
}

async function write(db: Db, taken: Taken, now: number, limits: SeriesLimits): Promise<FlushResult> {
  const sql = db.$client;
  const flagKeys = [...new Set(taken.counts.map((c) => c.flag))];
  const envNames = [...new Set(taken.counts.map((c) => c.environment))];
  const known = new Set(
    flagKeys.length === 0
      ? []
      : (await sql<{ key: string }[]>`select key from flags where key = any(${flagKeys}::text[])`).map(
          (r) => r.key,
        ),
  );
  const envs = new Map<string, string>();
  if (envNames.length > 0)
    for (const r of await sql<{ input: string; name: string }[]>`
      select i.input, e.name from unnest(${envNames}::text[]) i(input) join environments e on lower(e.name) = lower(i.input)`)
      envs.set(r.input, r.name);
  // Keys that meet after the environment's spelling is settled add up into one sample.
  const samples = new Map<string, { flag: string; environment: string; variant: string; n: number }>();
  let unknown = 0;
  let other = taken.other;
  for (const c of taken.counts) {
    const environment = envs.get(c.environment);
    if (!known.has(c.flag) || environment === undefined) {
      unknown += c.n;
      continue;
    }
    if (!storable(c.bucket)) {
      other += c.n;
      continue;
    }
    const id = JSON.stringify([c.flag, environment, c.bucket]);
    const s = samples.get(id);
    if (s) s.n += c.n;
    else samples.set(id, { flag: c.flag, environment, variant: c.bucket, n: c.n });
  }
  const points: MetricBatch['points'] = [...samples.values()].map((s) => ({
    name: FLAG_EVALUATIONS_METRIC,
    labels: { flag: s.flag, environment: s.environment, variant: s.variant },
    ts: now,
    value: s.n,
    kind: 'delta_counter',
  }));
  if (other > 0)
    points.push({
      name: FLAG_EVALUATIONS_METRIC,
      labels: { flag: OTHER_BUCKET, environment: OTHER_BUCKET, variant: OTHER_BUCKET },
      ts: now,
      value: other,
      kind: 'delta_counter',
    });
  if (points.length === 0) return { points: 0, flags: 0, unknown };
  const evaluated = [...new Set([...samples.values()].map((s) => s.flag))];
  let flags = 0;
  // Existing series only ever get samples; a new one over a series limit is left out rather than losing the rest.
  await ingestBatch(sql, { points, histograms: [] }, { ...limits, onLimit: 'dropNewSeries' }, async (tx) => {
    flags = await markFlagsEvaluated(tx, evaluated, new Date(now));
  });
  return { points: points.length, flags, unknown };
}

export interface FlagEvaluationCounts {
  /** Start of the first hour, epoch milliseconds; hour `i` starts at `start + i * 3_600_000`. */
  start: number;
  hours: number;
  /** One row per variant (or bucket) seen in the range, by name; `counts[i]` is hour `i`'s evaluations. */
  variants: { variant: string; counts: number[]; total: number }[];
  total: number;
}

/**
 * One flag's evaluations per hour by variant over the last `hours` whole hours up to the current one, from the
 * store's hourly tier: the current hour shows what its rollup job has added up so far (a few minutes behind).
 */
export async function flagEvaluationCounts(
  db: Db,
  input: FlagEvaluationCountsInput,
  nowMs = Date.now(),
): Promise<FlagEvaluationCounts> {
  const { flagKey, environment, hours } = flagEvaluationCountsInput.parse(input);
  const end = (Math.floor(nowMs / 3_600_000) + 1) * 3_600_000;
  const q: MetricQuery = {
    selector: {
      name: FLAG_EVALUATIONS_METRIC,
      matchers: [
        { label: 'flag', op: '=', value: flagKey },
        ...(environment ? [{ label: 'environment', op: '=' as const, value: environment }] : []),
      ],
    },
    from: new Date(end - hours * 3_600_000),
    to: new Date(end),
    step: 3_600,
    fn: 'rate',
    errorMatcher: { ...DEFAULT_ERROR_MATCHER },
    by: ['variant'],
  };
  const answer = await runQuery(db.$client, q);
  // rate is Σ increase / step: times the step gives the hour's count back (rounded off float error).
  const variants = (answer.groups ?? []).map((g) => {
    const counts = g.values.map((v) => (v === null ? 0 : Math.round(v * 3_600)));
    return { variant: g.labels.variant ?? '', counts, total: counts.reduce((a, b) => a + b, 0) };
  });
  return {
    start: answer.start,
    hours,
    variants,
    total: variants.reduce((a, v) => a + v.total, 0),
  };
}
