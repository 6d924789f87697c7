import {
  type ClaimedDelivery,
  type CompletionInput,
  type CompletionResult,
  claimDeliveries,
  completeDeliveries,
  DEFAULT_SEND_TIMEOUT_MS,
  type Delivered,
  type DeliveryPolicy,
  INTEGRATION_GONE,
  type IntegrationTarget,
  type LoadTargets,
  type SendNotification,
  type SendOutcome,
} from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from '../monitoring/leased-loop';
import { GroupCommit } from './group-commit';

export interface DeliveryLoopOptions extends LoopOptions<void> {
  /** The engine's clock (epoch ms): claims, backoff and breakers are decided by it, never by SQL now(). */
  clock: () => number;
  policy: DeliveryPolicy;
  send: SendNotification;
  /** Integration targets with their secrets decrypted, loaded per claim (so an edited integration applies). */
  loadTargets: LoadTargets;
  onDelivered?: (d: Delivered, tickToDeliveryMs: number | null) => void;
}

interface Job {
  claim: ClaimedDelivery;
  target: IntegrationTarget | undefined;
}

/**
 * Delivers the outbox (spec A9.4): each due row is leased by one instance for twice its send timeout, sent, and
 * completed fenced on the lease, so 3 instances send each row once and a dead instance's row is sent by another.
 * A slot is free again once its answer is in; the answers are written together (group commit) behind it.
 */
export class DeliveryLoop extends LeasedLoop<Job, void> {
  private readonly completions: GroupCommit<CompletionInput, CompletionResult>;

  constructor(private readonly o: DeliveryLoopOptions) {
    super(o, async (sql, instance, limit) => {
      const claims = await claimDeliveries(sql, instance, limit, o.clock(), o.policy);
      if (claims.length === 0) return [];
      const targets = await o.loadTargets(sql, [...new Set(claims.map((c) => c.integrationId))]);
      return claims.map((claim) => ({ claim, target: targets.get(claim.integrationId) }));
    });
    this.completions = new GroupCommit((items) => completeDeliveries(o.sql, items, o.policy, o.instance));
  }

  /** One endpoint may hold only part of the slots, so a short claim can still leave rows due: go on while any came. */
  protected override mayHaveMore(claimed: number): boolean {
    return claimed > 0;
  }

  override async stop() {
    await super.stop();
    await this.completions.idle();
  }

  protected async run({ claim, target }: Job) {
    const { clock, send } = this.o;
    let outcome: SendOutcome = INTEGRATION_GONE;
    try {
      if (target)
        outcome = await send(target, claim.payload, {
          timeoutMs: claim.timeoutMs || DEFAULT_SEND_TIMEOUT_MS,
        });
    } catch (err) {
      // Nothing was completed: the lease lapses and an instance sends the row again, with the same key.
      this.o.logger.warn({ err, outboxId: claim.id }, 'could not deliver notification');
      return;
    }
    // Not awaited: the slot takes the next row while the answer is written with others'.
    void this.completions.add({ claim, outcome, nowMs: clock() }).then(
      (done) => {
        this.o.onDelivered?.(
          { ...done, claim, outcome },
          done.result === 'delivered' ? clock() - claim.tickAtMs : null,
        );
        // The row no longer counts against its endpoint's in-flight cap: claim what that cap held back.
        void this.tick();
      },
      (err) => this.o.logger.warn({ err, outboxId: claim.id }, 'could not complete notification delivery'),
    );
  }
}
