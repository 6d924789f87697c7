import {
  type ClaimedDelivery,
  claimDeliveries,
  type Delivered,
  type DeliveryPolicy,
  deliverClaim,
  type LoadTargets,
  type SendNotification,
} from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from '../monitoring/leased-loop';

export interface DeliveryLoopOptions extends LoopOptions<void> {
  /** The engine's clock (epoch ms): claims, backoff and breakers are decided by it, never by SQL now(). */
  clock: () => number;
  policy: DeliveryPolicy;
  send: SendNotification;
  /** Integration targets with their secrets decrypted, loaded per delivery (so an edited integration applies). */
  loadTargets: LoadTargets;
  onDelivered?: (d: Delivered, tickToDeliveryMs: number | null) => void;
}

/**
 * Delivers the outbox (spec A9.4): each due row is leased by one instance for twice its send timeout, sent, and
 * completed fenced on the lease, so 3 instances send each row once and a dead instance's row is sent by another.
 */
export class DeliveryLoop extends LeasedLoop<ClaimedDelivery, void> {
  constructor(private readonly o: DeliveryLoopOptions) {
    super(o, (sql, instance, limit) => claimDeliveries(sql, instance, limit, o.clock(), o.policy));
  }

  /** One endpoint may hold only part of the slots, so a short claim can still leave rows due: go on while any came. */
  protected override mayHaveMore(claimed: number): boolean {
    return claimed > 0;
  }

  protected async run(claim: ClaimedDelivery) {
    const { sql, clock, policy, instance } = this.o;
    try {
      const targets = await this.o.loadTargets(sql, [claim.integrationId]);
      const done = await deliverClaim(sql, claim, targets.get(claim.integrationId), this.o.send, {
        clock,
        policy,
        instance,
      });
      this.o.onDelivered?.(done, done.result === 'delivered' ? clock() - claim.tickAtMs : null);
    } catch (err) {
      // Nothing was completed: the lease lapses and an instance sends the row again, with the same key.
      this.o.logger.warn({ err, outboxId: claim.id }, 'could not deliver notification');
    }
  }
}
