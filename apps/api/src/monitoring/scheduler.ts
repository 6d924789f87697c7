import { type ClaimedCheck, claimDueChecks, recordRun } from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';
import { type CheckConfig, type ProbeOptions, probe } from './probe';

export interface SchedulerOptions extends LoopOptions {
  onRun?: (check: ClaimedCheck, lagMs: number, ok: boolean) => void;
}

/** Runs due checks from Postgres: each slot on exactly one instance; a dead instance's checks return when its lease lapses. */
export class CheckScheduler extends LeasedLoop<ClaimedCheck> {
  constructor(private readonly o: SchedulerOptions) {
    super(o, claimDueChecks);
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
