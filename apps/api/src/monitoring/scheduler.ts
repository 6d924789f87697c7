import type { Sql } from '@sextant/db';
import type { CheckConfig as StoredConfig } from '@sextant/db/check-config';
import type { CheckKind } from '@sextant/db/enums';
import type { FastifyBaseLogger } from 'fastify';
import { LeasedLoop } from './leased-loop';
import { type CheckConfig, type ProbeOptions, probe } from './probe';
import { type ClaimedCheck, recordRun } from './record';

export interface SchedulerOptions {
  sql: Sql;
  /** Unique per process; leases carry it. */
  instance: string;
  /** Checks running at once in this process. */
  concurrency: number;
  pollMs: number;
  /** Extra lease time beyond the check's timeout before another instance may take the check over. */
  leaseMarginMs: number;
  probeOptions: () => Promise<ProbeOptions>;
  logger: FastifyBaseLogger;
  onRun?: (check: ClaimedCheck, lagMs: number, ok: boolean) => void;
}

interface ClaimRow {
  id: string;
  service_id: string;
  timeout_ms: number;
  interval_seconds: number;
  phase_offset_ms: number;
  next_run_at: Date;
  kind: CheckKind;
  config: StoredConfig;
}

/** Runs due checks from Postgres: each slot on exactly one instance; a dead instance's checks return when its lease lapses. */
export class CheckScheduler extends LeasedLoop<ClaimedCheck, ProbeOptions> {
  constructor(private readonly o: SchedulerOptions) {
    super(o);
  }

  protected shared() {
    return this.o.probeOptions();
  }

  protected async claim(limit: number): Promise<ClaimedCheck[]> {
    const rows = await this.o.sql<ClaimRow[]>`
      with due as (
        select id from checks
        where not paused and next_run_at <= now() and (lease_until is null or lease_until < now())
        order by next_run_at
        limit ${limit}
        for update skip locked
      )
      update checks c set lease_owner = ${this.o.instance},
        lease_until = now() + make_interval(secs => (c.timeout_ms + ${this.o.leaseMarginMs}) / 1000.0)
      from due where c.id = due.id
      returning c.id, c.service_id, c.kind, c.config, c.timeout_ms, c.interval_seconds, c.phase_offset_ms, c.next_run_at`;
    // The row's kind says which config it holds (the API validated both together).
    return rows.map(
      (r) =>
        ({
          id: r.id,
          serviceId: r.service_id,
          kind: r.kind,
          config: r.config,
          timeoutMs: r.timeout_ms,
          intervalSeconds: r.interval_seconds,
          phaseOffsetMs: r.phase_offset_ms,
          nextRunAt: r.next_run_at,
        }) as ClaimedCheck,
    );
  }

  protected async run(check: ClaimedCheck, options: ProbeOptions) {
    const startedAt = new Date();
    const config: CheckConfig =
      check.kind === 'http'
        ? { ...check.config, kind: 'http', timeoutMs: check.timeoutMs }
        : { ...check.config, kind: 'tcp', timeoutMs: check.timeoutMs };
    const result = await probe(config, options);
    try {
      await recordRun(this.o.sql, check, result, startedAt, this.o.instance);
      this.o.onRun?.(check, startedAt.getTime() - check.nextRunAt.getTime(), result.ok);
    } catch (err) {
      // The lease lapses and another instance (or this one) runs the check again.
      this.o.logger.warn({ err, checkId: check.id }, 'could not record check run');
    }
  }
}
