import { hostname } from 'node:os';
import type { Sql } from '@sextant/db';
import { DEFAULT_DENY_NETWORKS, DENY_NETWORKS_KEY } from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { JobRunner, monitoringJobs } from './jobs';
import { metricsJobs } from './metrics-jobs';
import type { ProbeOptions } from './probe';
import { CheckScheduler } from './scheduler';

/** The deny list changes rarely; re-read it every 10 s rather than once per check. */
function denyListLoader(sql: Sql, maxBodyBytes: number) {
  let cached: { at: number; value: ProbeOptions } | null = null;
  return async (): Promise<ProbeOptions> => {
    if (cached && Date.now() - cached.at < 10_000) return cached.value;
    const [row] = await sql<
      { value: string[] }[]
    >`select value from settings where key = 'probe.deny_networks'`;
    cached = { at: Date.now(), value: { denyNetworks: row?.value ?? DEFAULT_DENY_NETWORKS, maxBodyBytes } };
    return cached.value;
  };
}

/** Starts this instance's share of the work: claiming due checks, plus the singleton maintenance jobs. */
export function startMonitoring(o: {
  config: Config;
  sql: Sql;
  logger: FastifyBaseLogger;
  instance?: string;
  /** This instance's own /metrics, scraped into the metrics store. */
  selfMetricsUrl?: string;
}) {
  const instance = o.instance ?? `${hostname()}:${process.pid}`;
  const scheduler = new CheckScheduler({
    sql: o.sql,
    instance,
    concurrency: o.config.CHECKS_CONCURRENCY,
    pollMs: o.config.CHECKS_POLL_MS,
    leaseMarginMs: 5_000,
    probeOptions: denyListLoader(o.sql, o.config.CHECKS_MAX_BODY_BYTES),
    logger: o.logger,
  });
  const c = o.config;
  const self = o.selfMetricsUrl && c.SEXTANT_SELF_SCRAPE_SECONDS > 0;
  const jobs = new JobRunner(
    o.sql,
    [
      ...monitoringJobs({ resultsDays: c.RESULTS_RETENTION_DAYS, rollupDays: c.ROLLUP_RETENTION_DAYS }),
      ...metricsJobs({
        rawDays: c.METRICS_RAW_RETENTION_DAYS,
        minuteDays: c.METRICS_1M_RETENTION_DAYS,
        hourDays: c.METRICS_1H_RETENTION_DAYS,
        self: self
          ? { url: o.selfMetricsUrl!, everyMs: c.SEXTANT_SELF_SCRAPE_SECONDS * 1000, instance }
          : null,
      }),
    ],
    o.logger,
  );
  scheduler.start();
  jobs.start();
  return {
    scheduler,
    jobs,
    async stop() {
      await Promise.all([scheduler.stop(), jobs.stop()]);
    },
  };
}
