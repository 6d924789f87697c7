import { dropPartitionsBefore, ensurePartitions, type Sql } from '@sextant/db';
import {
  drainRollupBacklog,
  ingestBatch,
  pruneIngestKeys,
  ROLLUP_WINDOW_MS,
  rollupHours,
  rollupMinutes,
} from '@sextant/trpc';
import type { Job } from './jobs';
import { scrape } from './scrape';

const DAY = 86_400_000;

export interface MetricsJobOptions {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  /** Sextant's own /metrics, scraped as the first service; null turns it off. */
  self: { url: string; everyMs: number; instance: string } | null;
}

/** Partitions a day behind to three ahead: ingest accepts samples up to 48 h old. */
export function ensureMetricPartitions(sql: Sql) {
  return ensurePartitions(sql, new Date(Date.now() - 3 * DAY), new Date(Date.now() + 3 * DAY));
}

export function metricsJobs(o: MetricsJobOptions): Job[] {
  const jobs: Job[] = [
    { name: 'metrics.partitions', everyMs: 3_600_000, run: ensureMetricPartitions },
    {
      name: 'metrics.rollup-1m',
      everyMs: 30_000,
      // A trailing window catches samples a little late; older ones were noted in the backlog at ingest.
      run: async (sql) => {
        await rollupMinutes(
          sql,
          new Date(Date.now() - ROLLUP_WINDOW_MS['1m']),
          new Date(Date.now() + 60_000),
        );
        while ((await drainRollupBacklog(sql, '1m')) > 0) {}
      },
    },
    {
      name: 'metrics.rollup-1h',
      everyMs: 5 * 60_000,
      run: async (sql) => {
        await rollupHours(
          sql,
          new Date(Date.now() - ROLLUP_WINDOW_MS['1h']),
          new Date(Date.now() + 3_600_000),
        );
        while ((await drainRollupBacklog(sql, '1h')) > 0) {}
      },
    },
    {
      name: 'metrics.retention',
      everyMs: 3_600_000,
      run: async (sql) => {
        const now = Date.now();
        await dropPartitionsBefore(sql, 'metric_points', new Date(now - o.rawDays * DAY));
        await dropPartitionsBefore(sql, 'metric_histograms', new Date(now - o.rawDays * DAY));
        await dropPartitionsBefore(sql, 'metric_rollups_1m', new Date(now - o.minuteDays * DAY));
        await dropPartitionsBefore(sql, 'metric_rollups_1h', new Date(now - o.hourDays * DAY));
        await pruneIngestKeys(sql);
      },
    },
  ];
  if (o.self) {
    const self = o.self;
    jobs.push({
      // Per-instance lock name: every instance scrapes itself, each exactly once per interval.
      name: `metrics.scrape-self:${self.instance}`,
      everyMs: self.everyMs,
      run: async (sql) => {
        const batch = await scrape(self.url, {
          labels: { service: 'sextant-api', environment: 'PRO', instance: self.instance },
          stripPrefix: 'sextant_',
        });
        await ingestBatch(sql, batch);
      },
    });
  }
  return jobs;
}
