import type { Sql } from '@sextant/db';
import { DEFAULT_SERIES_LIMITS } from '@sextant/trpc';
import { pino } from 'pino';
import { ScrapeScheduler } from '../../src/monitoring/scrape-scheduler';
import { allowLoopback } from '../probe/checks';

/** One pass of a scheduler over every unpaused target, as a running instance would make it (loopback allowed). */
export async function scrapeDueTargets(sql: Sql) {
  await sql`update scrape_targets set next_run_at = now() where not paused`;
  const scheduler = new ScrapeScheduler({
    sql,
    instance: 'test',
    concurrency: 10,
    pollMs: 1_000,
    leaseMarginMs: 500,
    probeOptions: async () => allowLoopback,
    logger: pino({ level: 'silent' }),
    limits: DEFAULT_SERIES_LIMITS,
  });
  await scheduler.tick();
  await scheduler.stop(); // waits for the runs it started
}
