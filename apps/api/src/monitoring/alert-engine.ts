import { type ClaimedSlot, claimDueRules, evaluateSlot, type SlotResult } from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';

export interface AlertEngineOptions extends LoopOptions<void> {
  /** The engine's clock (epoch ms): claims and the next slot are decided by it, never by SQL now(). */
  clock: () => number;
  /** How long a claim holds a slot before another instance may take it over. */
  leaseMs: number;
  onEvaluated?: (result: SlotResult) => void;
}

/**
 * Evaluates due alert rules: each slot is claimed by one instance (SKIP LOCKED + a per-claim lease), evaluated
 * at its slot time, and written fenced on the claim, so 3 instances do each slot once and a dead one's slots return.
 */
export class AlertEngineLoop extends LeasedLoop<ClaimedSlot, void> {
  private readonly due: { more: boolean };

  constructor(private readonly o: AlertEngineOptions) {
    const due = { more: false };
    super(o, async (sql, instance, limit) => {
      const claimed = await claimDueRules(sql, instance, limit, o.clock(), o.leaseMs);
      due.more = claimed.length === limit;
      return claimed;
    });
    this.due = due;
  }

  protected async run(claim: ClaimedSlot) {
    try {
      // Evaluated first: `onEvaluated?.(await …)` would skip the evaluation itself when no callback is given.
      const result = await evaluateSlot(this.o.sql, claim, this.o.clock);
      this.o.onEvaluated?.(result);
    } catch (err) {
      // Nothing was written: the lease lapses and an instance evaluates the slot again.
      this.o.logger.warn({ err, ruleId: claim.ruleId }, 'could not evaluate alert rule');
    }
    // A full claim may have left due rules behind: claim again once this run has left the running set, not at the
    // next poll (else at most concurrency / poll interval evaluations a second: 16/s at the defaults).
    if (this.due.more) setImmediate(() => void this.tick());
  }
}
