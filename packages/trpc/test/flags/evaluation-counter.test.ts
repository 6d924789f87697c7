import { createDatabase, ensurePartitions, inArray, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVALUATION_BUCKETS,
  evaluationBucket,
  FLAG_EVALUATIONS_METRIC,
  FlagEvaluationCounter,
  flagEvaluationCounts,
  OTHER_BUCKET,
} from '../../src/services/flags/evaluation-counter';
import { rollupHours, rollupMinutes } from '../../src/services/metrics/rollups';
import { createFixture, type Fixture } from '../fixtures';

const HOUR = 3_600_000;
let f: Fixture;
/** The current whole hour; samples go into the hours before it (ingest takes them up to 48 h old). */
const H = Math.floor(Date.now() / HOUR) * HOUR;
const NOW = H + 1;

beforeAll(async () => {
  f = await createFixture();
  await ensurePartitions(f.database.sql, new Date(H - 3 * 86_400_000), new Date(H + 86_400_000));
  await f.database.db.insert(schema.environments).values([
    { name: 'UAT', position: 1 },
    { name: 'PRO', position: 2, isProduction: true },
  ]);
  await f.database.db
    .insert(schema.flags)
    .values(['checkout-v2', 'dark-mode', 'quiet', 'capped-a', 'capped-b', 'capped-c', 'capped-d'].map(flag));
});
afterAll(async () => {
  await f?.close();
});

const flag = (key: string) => ({ key, type: 'boolean' as const });
const sql = () => f.database.sql;

/** Every stored sample of the metric, by its labels. */
async function stored() {
  return sql()<{ labels: Record<string, string>; kind: string; value: number; ts: Date }[]>`
    select s.labels, s.kind, p.value, p.ts from metric_points p join metric_series s on s.id = p.series_id
    where s.name = ${FLAG_EVALUATIONS_METRIC} order by p.ts, s.labels::text`;
}

async function lastEvaluated(keys: string[]) {
  const rows = await f.database.db
    .select({ key: schema.flags.key, at: schema.flags.lastEvaluatedAt })
    .from(schema.flags)
    .where(inArray(schema.flags.key, keys));
  return Object.fromEntries(rows.map((r) => [r.key, r.at?.getTime() ?? null]));
}

/** The store's rollup jobs over the test's hours (the samples arrived "late", so the jobs' windows miss them). */
async function rollUp() {
  await rollupMinutes(sql(), new Date(H - 4 * HOUR), new Date(H + HOUR));
  await rollupHours(sql(), new Date(H - 4 * HOUR), new Date(H + HOUR));
}

const repeat = (c: FlagEvaluationCounter, k: string, env: string, bucket: string, n: number) => {
  for (let i = 0; i < n; i++) c.record(k, env, bucket);
};

describe('flag evaluation counter (issue 18 point 3)', () => {
  it('sums three instances per hour and variant, each environment and all together', async () => {
    const [a, b, c] = [new FlagEvaluationCounter(), new FlagEvaluationCounter(), new FlagEvaluationCounter()];
    const first = H - 3 * HOUR;
    const second = H - 2 * HOUR;
    repeat(a, 'checkout-v2', 'UAT', 'blue', 5);
    repeat(a, 'checkout-v2', 'UAT', 'green', 2);
    repeat(b, 'checkout-v2', 'UAT', 'blue', 3);
    repeat(c, 'checkout-v2', 'UAT', 'green', 4);
    // Another spelling of the environment is stored under its name.
    repeat(c, 'checkout-v2', 'uat', 'blue', 1);
    expect(await a.flush(f.database.db, { now: first + 5 * 60_000 })).toEqual({
      points: 2,
      flags: 1,
      unknown: 0,
    });
    expect((await b.flush(f.database.db, { now: first + 6 * 60_000 })).points).toBe(1);
    expect((await c.flush(f.database.db, { now: first + 7 * 60_000 })).points).toBe(2);

    repeat(a, 'checkout-v2', 'UAT', 'blue', 10);
    repeat(b, 'checkout-v2', 'PRO', 'blue', 7);
    repeat(c, 'checkout-v2', 'UAT', 'green', 1);
    await a.flush(f.database.db, { now: second + 5 * 60_000 });
    await b.flush(f.database.db, { now: second + 10 * 60_000 });
    await c.flush(f.database.db, { now: second + 30 * 60_000 });
    await rollUp();

    const samples = await stored();
    // One series per flag × environment × variant, whichever instance wrote: no instance label.
    expect(new Set(samples.map((s) => JSON.stringify(s.labels))).size).toBe(3);
    expect(samples.every((s) => s.kind === 'delta_counter' && !('instance' in s.labels))).toBe(true);

    const uat = await flagEvaluationCounts(
      f.database.db,
      { flagKey: 'checkout-v2', environment: 'UAT', hours: 4 },
      NOW,
    );
    expect(uat.start).toBe(first);
    expect(uat.variants).toEqual([
      { variant: 'blue', counts: [9, 10, 0, 0], total: 19 },
      { variant: 'green', counts: [6, 1, 0, 0], total: 7 },
    ]);
    expect(uat.total).toBe(26);

    const all = await flagEvaluationCounts(f.database.db, { flagKey: 'checkout-v2', hours: 3 }, NOW);
    expect(all.start).toBe(H - 2 * HOUR);
    expect(all.variants).toEqual([
      { variant: 'blue', counts: [17, 0, 0], total: 17 },
      { variant: 'green', counts: [1, 0, 0], total: 1 },
    ]);
  });

  it('sets last_evaluated_at once per flush for the flags counted, never moving it back', async () => {
    const c = new FlagEvaluationCounter();
    const at = H - HOUR + 15 * 60_000;
    repeat(c, 'dark-mode', 'PRO', EVALUATION_BUCKETS.on, 3);
    repeat(c, 'dark-mode', 'UAT', EVALUATION_BUCKETS.off, 2);
    expect(await c.flush(f.database.db, { now: at })).toEqual({ points: 2, flags: 1, unknown: 0 });
    expect(await lastEvaluated(['dark-mode', 'quiet'])).toEqual({ 'dark-mode': at, quiet: null });

    // A slower instance's flush stamped earlier stores its counts but keeps the later time.
    const late = new FlagEvaluationCounter();
    late.record('dark-mode', 'PRO', EVALUATION_BUCKETS.on);
    expect(await late.flush(f.database.db, { now: at - 60_000 })).toEqual({
      points: 1,
      flags: 0,
      unknown: 0,
    });
    expect(await lastEvaluated(['dark-mode'])).toEqual({ 'dark-mode': at });
  });

  it('writes nothing when nothing was recorded, nor for unknown flags or environments', async () => {
    const before = await stored();
    const flagsBefore = await lastEvaluated(['quiet', 'dark-mode']);
    const c = new FlagEvaluationCounter();
    expect(await c.flush(f.database.db, { now: NOW })).toEqual({ points: 0, flags: 0, unknown: 0 });
    repeat(c, 'no-such-flag', 'PRO', EVALUATION_BUCKETS.error, 4);
    repeat(c, 'quiet', 'NOWHERE', EVALUATION_BUCKETS.off, 2);
    expect(await c.flush(f.database.db, { now: NOW })).toEqual({ points: 0, flags: 0, unknown: 6 });
    expect(await c.flush(f.database.db, { now: NOW })).toEqual({ points: 0, flags: 0, unknown: 0 });
    expect(await stored()).toEqual(before);
    expect(await lastEvaluated(['quiet', 'dark-mode'])).toEqual(flagsBefore);
    const [series] = await sql()<{ n: number }[]>`
      select count(*)::int as n from metric_series where labels->>'flag' in ('no-such-flag', 'quiet')`;
    expect(series!.n).toBe(0);
  });

  it('caps distinct keys: the excess goes to the (other) series, and idle keys are forgotten at a flush', async () => {
    const c = new FlagEvaluationCounter(3);
    const at = H - HOUR + 20 * 60_000;
    repeat(c, 'capped-a', 'PRO', 'x', 2);
    repeat(c, 'capped-b', 'PRO', 'x', 1);
    repeat(c, 'capped-c', 'PRO', 'x', 1);
    repeat(c, 'capped-d', 'PRO', 'x', 5);
    repeat(c, 'capped-a', 'PRO', 'y', 3);
    // Keys already held still count as themselves.
    repeat(c, 'capped-a', 'PRO', 'x', 1);
    expect(c.size).toBe(3);
    expect(await c.flush(f.database.db, { now: at })).toEqual({ points: 4, flags: 3, unknown: 0 });
    const rows = (await stored()).filter((s) => s.ts.getTime() === at);
    expect(rows.map((r) => [r.labels.flag, r.labels.variant, r.value])).toEqual([
      [OTHER_BUCKET, OTHER_BUCKET, 8],
      ['capped-a', 'x', 3],
      ['capped-b', 'x', 1],
      ['capped-c', 'x', 1],
    ]);
    expect(rows[0]!.labels.environment).toBe(OTHER_BUCKET);
    expect(await lastEvaluated(['capped-d'])).toEqual({ 'capped-d': null });

    // Held keys stay through a flush; those idle for a whole interval are dropped, making room.
    c.record('capped-a', 'PRO', 'x');
    await c.flush(f.database.db, { now: at + 60_000 });
    expect(c.size).toBe(1);
    c.record('capped-d', 'PRO', 'x');
    expect(c.size).toBe(2);
  });

  it('keeps the counts of a flush that failed for the next one', async () => {
    const unreachable = createDatabase('postgres://sextant@127.0.0.1:1/none', { max: 1, connectTimeoutS: 2 });
    const c = new FlagEvaluationCounter();
    repeat(c, 'quiet', 'UAT', EVALUATION_BUCKETS.default, 4);
    await expect(c.flush(unreachable.db, { now: NOW })).rejects.toThrow();
    await unreachable.close(0);
    c.record('quiet', 'UAT', EVALUATION_BUCKETS.default);
    expect(await c.flush(f.database.db, { now: H - 10 * 60_000 })).toEqual({
      points: 1,
      flags: 1,
      unknown: 0,
    });
    const rows = (await stored()).filter((s) => s.labels.flag === 'quiet');
    expect(rows.map((r) => r.value)).toEqual([5]);
  });

  it('counts an evaluation under its variant, else its answer or why the default stood', () => {
    expect(evaluationBucket({ variant: 'blue', reason: 'SPLIT', value: true })).toBe('blue');
    expect(evaluationBucket({ reason: 'SPLIT', value: true })).toBe('(on)');
    expect(evaluationBucket({ reason: 'SPLIT', value: false })).toBe('(off)');
    expect(evaluationBucket({ reason: 'DISABLED', value: false })).toBe('(disabled)');
    expect(evaluationBucket({ reason: 'ERROR', value: 'x' })).toBe('(error)');
    expect(evaluationBucket({ reason: 'DEFAULT', value: 'code default' })).toBe('(default)');
  });

  it('bounds the read: at most 168 hours, a bounded flag key', async () => {
    await expect(flagEvaluationCounts(f.database.db, { flagKey: 'quiet', hours: 169 })).rejects.toThrow();
    await expect(
      flagEvaluationCounts(f.database.db, { flagKey: 'x'.repeat(201), hours: 1 }),
    ).rejects.toThrow();
  });
});
