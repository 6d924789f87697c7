import { dropPartitionsBefore, ensurePartitions, type Sql } from '@sextant/db';
import { ROLLUP_TIERS, type RollupTier } from '@sextant/db/enums';
import {
  ingestBatch,
  pruneIngestKeys,
  rollupRecent,
  type SeriesLimits,
  snapshotCardinality,
} from '@sextant/trpc';
import type { Job } from './jobs';
import { scrape } from './scrape';

const DAY = 86_400_000;
/** How often each rollup tier's job runs: well inside its trailing window. */
const ROLLUP_EVERY_MS: Record<RollupTier, number> = { '1m': 30_000, '1h': 5 * 60_000 };

export interface MetricsJobOptions {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  /** Sextant's own /metrics, scraped as the first service; null turns it off. */
  self: { url: string; everyMs: number; instance: string; limits: SeriesLimits } | null;
}

/** Partitions a day behind to three ahead: ingest accepts samples up to 48 h old. */
export function ensureMetricPartitions(sql: Sql) {
  return ensurePartitions(sql, new Date(Date.now() - 3 * DAY), new Date(Date.now() + 3 * DAY));
}

export function metricsJobs(o: MetricsJobOptions): Job[] {
  const jobs: Job[] = [
    { name: 'metrics.partitions', everyMs: 3_600_000, run: ensureMetricPartitions },
    ...ROLLUP_TIERS.map((tier) => ({
      name: `metrics.rollup-${tier}`,
      everyMs: ROLLUP_EVERY_MS[tier],
      run: (sql: Sql) => rollupRecent(sql, tier),
    })),
    {
      name: 'metrics.retention',
      everyMs: 3_600_000,
      run: async (sql) => {
        const now = Date.now();
        await dropPartitionsBefore(sql, 'metric_points', new Date(now - o.rawDays * DAY));
        await dropPartitionsBefore(sql, 'metric_histograms', new Date(now - o.rawDays * DAY));
        await dropPartitionsBefore(sql, 'metric_rollups_1m', new Date(now - o.minuteDays * DAY));
        await dropPartitionsBefore(sql, 'metric_rollups_1h', new Date(now - o.hourDays * DAY));
        // The service tier is kept as long as the per-series tier it is built from.
        await dropPartitionsBefore(sql, 'metric_agg_1m', new Date(now - o.minuteDays * DAY));
        await dropPartitionsBefore(sql, 'metric_agg_1h', new Date(now - o.hourDays * DAY));
        await pruneIngestKeys(sql);
      },
    },
  ];
  // Today's series per metric for the Cardinality page's growth; idempotent, so a second run is harmless.
  jobs.push({ name: 'metrics.cardinality-daily', everyMs: 3_600_000, run: snapshotCardinality });
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
        await ingestBatch(sql, batch, self.limits);
      },
    });
  }
  return jobs;
}
