import { pruneRateLimits, pruneSignInThrottle, type Sql } from '@sextant/db';
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
    {
      name: 'heartbeats.lateness',
      everyMs: 1_000,
      // Late beyond grace → DOWN, with one event; SKIP LOCKED and the status test keep it single.
      run: (sql) => sql`
        with late as (
          select id, service_id, status, status_since from heartbeats
          where not paused and status not in ('down', 'paused') and next_due_at is not null
            and next_due_at + make_interval(secs => grace_seconds) < now()
          for update skip locked
        ), changed as (
          update heartbeats h set status = 'down', status_since = now(), updated_at = now()
          from late where h.id = late.id returning h.id
        )
        insert into monitor_events (heartbeat_id, service_id, from_status, to_status, cause, previous_duration_ms)
        select id, service_id, status, 'down', 'no ping within period + grace',
               least(2147483647, (extract(epoch from now() - status_since) * 1000))::int
        from late`,
    },
    {
      name: 'instances.expire',
      everyMs: 5_000,
      run: (sql) => sql`delete from instances where expires_at < now()`,
    },
    {
      name: 'checks.rollup',
      everyMs: 60_000,
      // Re-summarises the last two hours; the upsert makes repeats harmless.
      run: (sql) => sql`
        insert into check_rollups_hourly (check_id, hour, count, failures, latency_p50, latency_p95, latency_p99, latency_min, latency_max)
        select check_id, date_trunc('hour', started_at), count(*)::int, (count(*) filter (where not ok))::int,
          percentile_cont(0.5) within group (order by latency_ms) filter (where ok),
          percentile_cont(0.95) within group (order by latency_ms) filter (where ok),
          percentile_cont(0.99) within group (order by latency_ms) filter (where ok),
          min(latency_ms) filter (where ok), max(latency_ms) filter (where ok)
        from check_results
        where started_at >= date_trunc('hour', now()) - interval '2 hours'
        group by 1, 2
        on conflict (check_id, hour) do update set count = excluded.count, failures = excluded.failures,
          latency_p50 = excluded.latency_p50, latency_p95 = excluded.latency_p95, latency_p99 = excluded.latency_p99,
          latency_min = excluded.latency_min, latency_max = excluded.latency_max`,
    },
    {
      name: 'retention',
      everyMs: 10 * 60_000,
      run: async (sql) => {
        // Small batches keep locks and WAL bursts short.
        for (;;) {
          const deleted = await sql`
            delete from check_results where id in (
              select id from check_results where started_at < now() - make_interval(days => ${retention.resultsDays}) limit 10000)`;
          if (deleted.count < 10_000) break;
        }
        await sql`delete from check_rollups_hourly where hour < now() - make_interval(days => ${retention.rollupDays})`;
        await sql`delete from heartbeat_pings where at < now() - make_interval(days => ${retention.resultsDays})`;
        // Sign-in counters of addresses and emails long gone quiet; guessing at random emails would grow them forever.
        await pruneRateLimits(sql);
        await pruneSignInThrottle(sql);
      },
    },
  ];
}
