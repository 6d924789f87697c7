import type { Database } from '@sextant/db';
import { DEFAULT_SERIES_LIMITS, ingestBatch } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions, metricsJobs } from '../../src/monitoring/metrics-jobs';
import { monitoringDb } from '../monitoring/fixtures';

let db: Database;
beforeAll(async () => {
  db = await monitoringDb();
  await ensureMetricPartitions(db.sql);
});
afterAll(async () => {
  await db?.close();
});

const jobs = metricsJobs({ rawDays: 7, minuteDays: 30, hourDays: 400, self: null });
const runJob = (name: string) => jobs.find((j) => j.name === name)!.run(db.sql);

function push(ts: number, value: number) {
  return ingestBatch(
    db.sql,
    {
      points: [{ name: 'late_gauge', labels: { job: 'batch' }, ts, value, kind: 'gauge' }],
      histograms: [],
    },
    DEFAULT_SERIES_LIMITS,
  );
}

async function rollup(table: 'metric_rollups_1m' | 'metric_rollups_1h', bucket: number) {
  const [row] = await db.sql<{ count: number; sum: number }[]>`
    select r.count::int as count, r.sum from ${db.sql(table)} r join metric_series s on s.id = r.series_id
    where s.name = 'late_gauge' and r.bucket = ${new Date(bucket)}`;
  return row ?? null;
}

describe('late samples', () => {
  it('reach the 1-minute and 1-hour rollups however late they arrive (within the accepted 48 h)', async () => {
    const now = Date.now();
    const minute = Math.floor((now - 30 * 60_000) / 60_000) * 60_000; // older than the 10-minute window
    const oldMinute = Math.floor((now - 5 * 3_600_000) / 60_000) * 60_000; // older than the 3-hour window
    const oldHour = Math.floor(oldMinute / 3_600_000) * 3_600_000;

    await push(minute + 1_000, 1);
    await runJob('metrics.rollup-1m');
    expect(await rollup('metric_rollups_1m', minute)).toEqual({ count: 1, sum: 1 });

    // Arrives after that minute was rolled up, and outside every trailing window.
    await push(minute + 2_000, 2);
    await push(oldMinute + 5_000, 40);
    await runJob('metrics.rollup-1m');
    expect(await rollup('metric_rollups_1m', minute)).toEqual({ count: 2, sum: 3 });
    expect(await rollup('metric_rollups_1m', oldMinute)).toEqual({ count: 1, sum: 40 });
    await runJob('metrics.rollup-1h');
    expect(await rollup('metric_rollups_1h', oldHour)).toEqual({ count: 1, sum: 40 });

    const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from metric_rollup_backlog`;
    expect(left!.n).toBe(0);
  });

  it('on time samples leave no backlog', async () => {
    await push(Date.now() - 1_000, 5);
    const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from metric_rollup_backlog`;
    expect(left!.n).toBe(0);
  });
});
