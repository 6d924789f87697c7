import { type Db, pruneRateLimits, pruneSignInThrottle, type Sql } from '@sextant/db';
import {
  DIGEST_LIMITS,
  enqueueMaintenanceNotices,
  expireInstances,
  FLAG_EVALUATION_LIMITS,
  type FlagEvaluationCounter,
  markLateHeartbeats,
  PROGRESS_LIMITS,
  pruneAlertTransitions,
  pruneCheckResults,
  pruneHeartbeatPings,
  pruneNotificationHistory,
  refreshAllSnapshots,
  resolveLapsedExternalAlerts,
  rollupCheckHours,
  type SeriesLimits,
  sendWeeklyDigests,
} from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  name: string;
  everyMs: number;
  run(sql: Sql): Promise<unknown>;
}

/** Stable advisory-lock key for a job name. */
function lockKey(name: string): number {
  let h = 0x5e47;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

/**
 * Periodic maintenance that every instance schedules but only one runs at a time:
 * a session advisory try-lock decides, so 3 instances do the work once, and any survivor takes over.
 */
export class JobRunner {
  private timers: NodeJS.Timeout[] = [];
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sql: Sql,
    private readonly jobs: Job[],
    private readonly logger: FastifyBaseLogger,
  ) {}

  start() {
    for (const job of this.jobs) {
      const timer = setInterval(() => {
        const p = this.runOnce(job).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }, job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  async stop() {
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled([...this.inFlight]);
  }

  async runOnce(job: Job): Promise<void> {
    let reserved: Awaited<ReturnType<Sql['reserve']>> | null = null;
    try {
      reserved = await this.sql.reserve();
      const [row] = await reserved`select pg_try_advisory_lock(${lockKey(job.name)}) as got`;
      if (!row?.got) return;
      try {
        await job.run(this.sql);
      } finally {
        await reserved`select pg_advisory_unlock(${lockKey(job.name)})`;
      }
    } catch (err) {
      this.logger.warn({ err, job: job.name }, 'job failed');
    } finally {
      reserved?.release();
    }
  }
}

export interface RetentionOptions {
  resultsDays: number;
  rollupDays: number;
}

export function monitoringJobs(retention: RetentionOptions): Job[] {
  return [
    { name: 'heartbeats.lateness', everyMs: 1_000, run: markLateHeartbeats },
    { name: 'instances.expire', everyMs: 5_000, run: expireInstances },
    { name: 'checks.rollup', everyMs: 60_000, run: rollupCheckHours },
    // Posted alerts whose endsAt passed unrefreshed: record the resolve and its history (listings never wait for it).
    { name: 'alerts.external-lapse', everyMs: 5_000, run: (sql) => resolveLapsedExternalAlerts(sql) },
    {
      name: 'retention',
      everyMs: 10 * 60_000,
      run: async (sql) => {
        await pruneCheckResults(sql, retention.resultsDays, retention.rollupDays);
        await pruneHeartbeatPings(sql, retention.resultsDays);
        // Sign-in counters of addresses and emails long gone quiet; guessing at random emails would grow them forever.
        await pruneRateLimits(sql);
        await pruneSignInThrottle(sql);
      },
    },
  ];
}

/** Alert history is kept `transitionDays`; instances themselves are evicted by the engine (resolved retention). */
export function alertingJobs(o: { transitionDays: number }): Job[] {
  return [
    {
      name: 'alerting.retention',
      everyMs: 60 * 60_000,
      run: (sql) => pruneAlertTransitions(sql, Date.now() - o.transitionDays * 86_400_000),
    },
  ];
}

/** Notification tick records are kept `historyDays`; log entries until their expiry (spec A7). */
export function notifyJobs(o: { historyDays: number }): Job[] {
  return [
    {
      name: 'notify.retention',
      everyMs: 60 * 60_000,
      run: (sql) => pruneNotificationHistory(sql, Date.now(), o.historyDays),
    },
  ];
}

/**
 * Maintenance scheduled / started / completed notices to status page subscribers: time-based, so a tick. Any
 * instance may run it (the idempotency key makes 3 instances enqueue once); the lock only spares duplicate work.
 */
export function statusNoticeJobs(db: Db, delivered: () => unknown): Job[] {
  return [
    {
      name: 'status-pages.maintenance-notices',
      everyMs: 60_000,
      run: async () => {
        if ((await enqueueMaintenanceNotices(db, Date.now())) > 0) delivered();
      },
    },
  ];
}

/**
 * Today's project snapshots (spec D): one statement rewrites every project's row for today; past days stay as they
 * were. Idempotent, so 3 instances would agree anyway; the lock only spares the duplicate work.
 */
export function progressJobs(db: Db): Job[] {
  return [
    {
      name: 'progress.snapshots',
      everyMs: PROGRESS_LIMITS.snapshotEveryMinutes * 60_000,
      run: () => refreshAllSnapshots(db),
    },
  ];
}

/**
 * The weekly project digest (issue 17 point 4): every tick looks whether this ISO week's digests are due (Monday
 * 08:00 UTC) and queues those not queued yet, so the first tick after 08:00 sends, or a later one that week if all
 * instances were down. project_digests' key decides among instances; the lock only spares the duplicate work.
 */
export function digestJobs(db: Db, publicUrl: string, delivered: () => unknown, clock = Date.now): Job[] {
  return [
    {
      name: 'progress.digests',
      everyMs: DIGEST_LIMITS.checkEveryMinutes * 60_000,
      run: async (sql) => {
        if ((await sendWeeklyDigests(db, sql, { nowMs: clock(), publicUrl })).queued > 0) delivered();
      },
    },
  ];
}

/**
 * This instance's flag evaluation counts into the metric store (issue 18 point 3). Every instance flushes its own,
 * so the lock name carries the instance, as the self-scrape's does; `flushFlagEvaluations` writes the rest at shutdown.
 */
export function flagEvaluationJobs(o: {
  db: Db;
  counter: FlagEvaluationCounter;
  instance: string;
  limits: SeriesLimits;
}): Job[] {
  return [
    {
      name: `flags.evaluation-flush:${o.instance}`,
      everyMs: FLAG_EVALUATION_LIMITS.flushEverySeconds * 1000,
      run: () => o.counter.flush(o.db, { limits: o.limits }),
    },
  ];
}

/** The last flush, once requests have drained and before the pool closes; a failure is logged, not thrown. */
export async function flushFlagEvaluations(
  o: { db: Db; counter: FlagEvaluationCounter; limits: SeriesLimits },
  logger: FastifyBaseLogger,
): Promise<void> {
  try {
    await o.counter.flush(o.db, { limits: o.limits });
  } catch (err) {
    logger.warn({ err }, 'could not write the last flag evaluation counts');
  }
}
