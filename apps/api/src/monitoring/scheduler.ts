import type { Sql } from '@sextant/db';
import { type ClaimedCheck, claimDueChecks, recordRun } from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';
import { LeasedLoop } from './leased-loop';
import { type CheckConfig, type ProbeOptions, probe } from './probe';

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

/** Runs due checks from Postgres: each slot on exactly one instance; a dead instance's checks return when its lease lapses. */
export class CheckScheduler extends LeasedLoop<ClaimedCheck, ProbeOptions> {
  constructor(private readonly o: SchedulerOptions) {
    super(o);
  }

  protected shared() {
    return this.o.probeOptions();
  }

  protected claim(limit: number): Promise<ClaimedCheck[]> {
    return claimDueChecks(this.o.sql, this.o.instance, limit, this.o.leaseMarginMs);
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
