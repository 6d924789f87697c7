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
  constructor(private readonly o: AlertEngineOptions) {
    super(o, (sql, instance, limit) => claimDueRules(sql, instance, limit, o.clock(), o.leaseMs));
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
  }
}
