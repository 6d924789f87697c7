import { hostname } from 'node:os';
import type { Db, Sql } from '@sextant/db';
import {
  deliveryPolicy,
  EVALUATION_LEASE_MS,
  FLUSH_LEASE_MS,
  integrationTargetsById,
  type LoadTargets,
  outboundPolicy,
  type ProtectedPort,
  type SendNotification,
} from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';
import { type Config, seriesLimits } from '../config';
import type { Metrics } from '../metrics';
import { DeliveryLoop } from '../notify/delivery-loop';
import { AlertEngineLoop } from './alert-engine';
import {
  alertingJobs,
  digestJobs,
  JobRunner,
  monitoringJobs,
  notifyJobs,
  progressJobs,
  statusNoticeJobs,
} from './jobs';
import { metricsJobs } from './metrics-jobs';
import { NotifyDispatchLoop } from './notify-dispatch';
import type { ProbeOptions } from './probe';
import { RolloutWorker } from './rollout-worker';
import { CheckScheduler } from './scheduler';
import { ScrapeScheduler } from './scrape-scheduler';

/**
 * The outbound lists change rarely; re-read and recompile them every 10 s rather than once per check. Checks,
 * scrapes and notifications share it. `protectedPorts` may be a function: the server knows its port only once listening.
 */
export function outboundLoader(
  db: Db,
  protectedPorts: ProtectedPort[] | (() => ProtectedPort[]),
  maxBodyBytes: number,
) {
  let cached: { at: number; value: ProbeOptions } | null = null;
  return async (): Promise<ProbeOptions> => {
    if (cached && Date.now() - cached.at < 10_000) return cached.value;
    const ports = typeof protectedPorts === 'function' ? protectedPorts() : protectedPorts;
    const outbound = await outboundPolicy(db, ports);
    cached = { at: Date.now(), value: { outbound, maxBodyBytes } };
    return cached.value;
  };
}

/** Starts this instance's share of the work: claiming due checks, plus the singleton maintenance jobs. */
export function startMonitoring(o: {
  config: Config;
  sql: Sql;
  /** The same pool through Drizzle, for the services' reads (the outbound settings). */
  db: Db;
  /** Sextant's own ports (see ownPorts), which no check may reach on a local address. */
  protectedPorts: ProtectedPort[];
  logger: FastifyBaseLogger;
  instance?: string;
  /** This instance's own /metrics, scraped into the metrics store. */
  selfMetricsUrl?: string;
  /** Where check runs, scrapes and rule evaluations are counted for this instance's /metrics. */
  metrics?: Pick<
    Metrics,
    'observeCheckRun' | 'observeScrape' | 'observeRuleEvaluation' | 'observeNotifyTick' | 'observeDelivery'
  >;
  /** The alert engine's clock; tests pass a fake one. */
  clock?: () => number;
  /** The transports (runtime.sendNotification); without them this instance delivers no notifications. */
  sendNotification?: SendNotification;
  /** Integration targets with decrypted secrets (receivers' loader). */
  loadTargets?: LoadTargets;
}) {
  const instance = o.instance ?? `${hostname()}:${process.pid}`;
  const c = o.config;
  const probeOptions = outboundLoader(o.db, o.protectedPorts, c.CHECKS_MAX_BODY_BYTES);
  const scheduler = new CheckScheduler({
    sql: o.sql,
    instance,
    concurrency: c.CHECKS_CONCURRENCY,
    pollMs: c.CHECKS_POLL_MS,
    leaseMarginMs: 5_000,
    probeOptions,
    logger: o.logger,
    onRun: (_check, lagMs, ok) => o.metrics?.observeCheckRun(ok, lagMs / 1000),
  });
  const scrapes = new ScrapeScheduler({
    sql: o.sql,
    instance,
    concurrency: c.SCRAPE_CONCURRENCY,
    pollMs: c.CHECKS_POLL_MS,
    leaseMarginMs: 5_000,
    // Same outbound policy as checks; exporters' answers are larger than a health page, so their own cap.
    probeOptions: async () => ({ ...(await probeOptions()), maxBodyBytes: c.SCRAPE_MAX_BODY_BYTES }),
    logger: o.logger,
    onScrape: (outcome) => o.metrics?.observeScrape(outcome.error === null, outcome.durationMs / 1000),
    limits: seriesLimits(c),
  });
  const alerts = new AlertEngineLoop({
    sql: o.sql,
    instance,
    concurrency: c.ALERT_ENGINE_CONCURRENCY,
    pollMs: c.ALERT_ENGINE_POLL_MS,
    leaseMarginMs: 0,
    probeOptions: async () => {},
    logger: o.logger,
    clock: o.clock ?? Date.now,
    leaseMs: EVALUATION_LEASE_MS,
    onEvaluated: (r) => o.metrics?.observeRuleEvaluation(r.lagMs / 1000, r.durationMs / 1000),
  });
  const delivery = o.sendNotification
    ? new DeliveryLoop({
        sql: o.sql,
        instance,
        concurrency: c.NOTIFY_DELIVERY_CONCURRENCY,
        pollMs: c.NOTIFY_DELIVERY_POLL_MS,
        leaseMarginMs: 0,
        probeOptions: async () => {},
        logger: o.logger,
        clock: o.clock ?? Date.now,
        policy: deliveryPolicy({
          maxAgeSeconds: c.NOTIFY_MAX_AGE_SECONDS,
          ratePerMinute: c.NOTIFY_ENDPOINT_RATE_PER_MIN,
          concurrency: c.NOTIFY_DELIVERY_CONCURRENCY,
        }),
        send: o.sendNotification,
        loadTargets: o.loadTargets ?? integrationTargetsById,
        publicUrl: c.publicUrl,
        onDelivered: (d, ms) => o.metrics?.observeDelivery(d.result, ms === null ? null : ms / 1000),
      })
    : null;
  const notify = new NotifyDispatchLoop({
    sql: o.sql,
    db: o.db,
    instance,
    concurrency: c.NOTIFY_DISPATCH_CONCURRENCY,
    pollMs: c.NOTIFY_DISPATCH_POLL_MS,
    leaseMarginMs: 0,
    probeOptions: async () => {},
    logger: o.logger,
    clock: o.clock ?? Date.now,
    leaseMs: FLUSH_LEASE_MS,
    batchSize: c.NOTIFY_DISPATCH_BATCH,
    wakeOnNextDue: true,
    publicUrl: c.publicUrl,
    onTick: (t) => {
      o.metrics?.observeNotifyTick(t);
      // The tick's messages are committed: this instance's delivery loop takes them now, not at its next poll.
      if (t.decisions.some((d) => d.outboxId)) void delivery?.tick();
    },
  });
  // Rollouts tick at the check scheduler's poll: a pause's end is applied within one poll after it is due.
  const rollouts = new RolloutWorker({
    db: o.db,
    sql: o.sql,
    pollMs: c.CHECKS_POLL_MS,
    logger: o.logger,
    clock: o.clock ?? Date.now,
    onAdvanced: () => void delivery?.tick(),
  });
  const self = o.selfMetricsUrl && c.SEXTANT_SELF_SCRAPE_SECONDS > 0;
  const jobs = new JobRunner(
    o.sql,
    [
      ...monitoringJobs({ resultsDays: c.RESULTS_RETENTION_DAYS, rollupDays: c.ROLLUP_RETENTION_DAYS }),
      ...alertingJobs({ transitionDays: c.ALERT_HISTORY_RETENTION_DAYS }),
      ...notifyJobs({ historyDays: c.NOTIFICATION_HISTORY_RETENTION_DAYS }),
      ...statusNoticeJobs(o.db, () => delivery?.tick()),
      ...progressJobs(o.db),
      ...digestJobs(o.db, c.publicUrl, () => delivery?.tick()),
      ...metricsJobs({
        rawDays: c.METRICS_RAW_RETENTION_DAYS,
        minuteDays: c.METRICS_1M_RETENTION_DAYS,
        hourDays: c.METRICS_1H_RETENTION_DAYS,
        self: self
          ? {
              url: o.selfMetricsUrl!,
              everyMs: c.SEXTANT_SELF_SCRAPE_SECONDS * 1000,
              instance,
              limits: seriesLimits(c),
            }
          : null,
      }),
    ],
    o.logger,
  );
  scheduler.start();
  scrapes.start();
  alerts.start();
  delivery?.start();
  notify.start();
  rollouts.start();
  jobs.start();
  return {
    scheduler,
    scrapes,
    alerts,
    notify,
    delivery,
    rollouts,
    jobs,
    async stop() {
      await Promise.all([
        scheduler.stop(),
        scrapes.stop(),
        alerts.stop(),
        notify.stop(),
        delivery?.stop(),
        rollouts.stop(),
        jobs.stop(),
      ]);
    },
  };
}
