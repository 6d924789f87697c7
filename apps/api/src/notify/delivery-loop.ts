import {
  type ClaimedDelivery,
  type CompletionInput,
  type CompletionResult,
  claimDeliveries,
  completeDeliveries,
  DEFAULT_SEND_TIMEOUT_MS,
  type Delivered,
  type DeliveryPolicy,
  type LoadTargets,
  type Resolved,
  resolveClaims,
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
  /** The console's address: status page notices link back to it (SEXTANT_PUBLIC_URL). */
  publicUrl: string;
  onDelivered?: (d: Delivered, tickToDeliveryMs: number | null) => void;
}

interface Job {
  claim: ClaimedDelivery;
  /** Where and what to send, or why nothing is sent (integration gone, subscriber unsubscribed). */
  resolved: Resolved;
}

/**
 * Delivers the outbox (spec A9.4): each due row is leased by one instance for twice its send timeout, sent, and
 * completed fenced on the lease, so 3 instances send each row once and a dead instance's row is sent by another.
 * A slot (and its endpoint's share) is free again once its answer is in; the answers are written together (group
 * commit) behind it.
 */
export class DeliveryLoop extends LeasedLoop<Job, void> {
  private readonly completions: GroupCommit<CompletionInput, CompletionResult>;
  /** Sends in flight per endpoint, this instance's: the per-endpoint cap counts these, freed as each answer is in. */
  private readonly sending = new Map<string, number>();

  constructor(private readonly o: DeliveryLoopOptions) {
    super(o, async (sql, instance, limit) => {
      const claims = await claimDeliveries(sql, instance, limit, o.clock(), o.policy, this.sending);
      if (claims.length === 0) return [];
      const resolved = await resolveClaims(sql, claims, {
        loadTargets: o.loadTargets,
        publicUrl: o.publicUrl,
      });
      // Claims run one at a time and every job returned here starts: counted now, uncounted as its send ends.
      for (const c of claims) this.sending.set(c.endpoint, (this.sending.get(c.endpoint) ?? 0) + 1);
      return claims.map((claim) => ({ claim, resolved: resolved.get(claim.id)! }));
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

  protected async run({ claim, resolved }: Job) {
    const { clock, send } = this.o;
    let outcome: SendOutcome;
    try {
      outcome =
        'skip' in resolved
          ? resolved.skip
          : await send(resolved.target, resolved.message, {
              timeoutMs: claim.timeoutMs || DEFAULT_SEND_TIMEOUT_MS,
            });
    } catch (err) {
      // Nothing was completed: the lease lapses and an instance sends the row again, with the same key.
      this.o.logger.warn({ err, outboxId: claim.id }, 'could not deliver notification');
      return;
    } finally {
      const n = (this.sending.get(claim.endpoint) ?? 1) - 1;
      if (n > 0) this.sending.set(claim.endpoint, n);
      else this.sending.delete(claim.endpoint);
    }
    // Not awaited: the slot takes the next row while the answer is written with others'.
    void this.completions.add({ claim, outcome, nowMs: clock() }).then(
      (done) => {
        this.o.onDelivered?.(
          { ...done, claim, outcome },
          done.result === 'delivered' ? clock() - claim.tickAtMs : null,
        );
        // A newer row of the same group goes only once this one is done (heads go one at a time): claim it now.
        void this.tick();
      },
      (err) => this.o.logger.warn({ err, outboxId: claim.id }, 'could not complete notification delivery'),
    );
  }
}
