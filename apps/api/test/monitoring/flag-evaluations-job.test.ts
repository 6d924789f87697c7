import { type Database, ensurePartitions, schema } from '@sextant/db';
import { DEFAULT_SERIES_LIMITS, FLAG_EVALUATIONS_METRIC, FlagEvaluationCounter } from '@sextant/trpc';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagEvaluationJobs, flushFlagEvaluations, JobRunner } from '../../src/monitoring/jobs';
import { monitoringDb } from './fixtures';

let db: Database;
const logger = pino({ level: 'silent' });
beforeAll(async () => {
  db = await monitoringDb();
  await ensurePartitions(db.sql, new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000));
  await db.db.insert(schema.environments).values({ name: 'PRO', position: 1, isProduction: true });
  await db.db.insert(schema.flags).values({ key: 'job-flag', type: 'boolean' });
});
afterAll(async () => {
  await db?.close();
});

async function storedTotal() {
  const [row] = await db.sql<{ n: number }[]>`
    select coalesce(sum(p.value), 0)::int as n from metric_points p join metric_series s on s.id = p.series_id
    where s.name = ${FLAG_EVALUATIONS_METRIC} and s.labels->>'flag' = 'job-flag'`;
  return row!.n;
}

describe('flags.evaluation-flush job (issue 18 point 3)', () => {
  it('runs on each of 3 instances at once, each writing its own counts; shutdown writes the rest', async () => {
    const instances = ['a:1', 'b:2', 'c:3'].map((instance, i) => {
      const counter = new FlagEvaluationCounter();
      for (let n = 0; n <= i; n++) counter.record('job-flag', 'PRO', 'on');
      const o = { db: db.db, counter, limits: DEFAULT_SERIES_LIMITS };
      const [job] = flagEvaluationJobs({ ...o, instance });
      return { o, job: job!, runner: new JobRunner(db.sql, [job!], logger) };
    });
    // Per-instance lock names: no instance's flush waits for or skips another's.
    expect(new Set(instances.map((i) => i.job.name)).size).toBe(3);
    await Promise.all(instances.map((i) => i.runner.runOnce(i.job)));
    expect(await storedTotal()).toBe(1 + 2 + 3);

    instances[0]!.o.counter.record('job-flag', 'PRO', 'on', 4);
    await flushFlagEvaluations(instances[0]!.o, logger);
    expect(await storedTotal()).toBe(10);
    // Nothing left: a second shutdown flush writes nothing.
    await flushFlagEvaluations(instances[0]!.o, logger);
    expect(await storedTotal()).toBe(10);
  });
});
