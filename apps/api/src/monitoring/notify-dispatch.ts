import type { Db } from '@sextant/db';
import {
  type ClaimedGroup,
  claimDueGroups,
  type FlushOptions,
  flushGroups,
  msUntilNextTick,
  type TickResult,
} from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';

export interface NotifyDispatchOptions extends LoopOptions<void> {
  /** The same pool through Drizzle, for muting's reads. */
  db: Db;
  /** The engine's clock (epoch ms): ticks are decided by it, never by SQL now(). */
  clock: () => number;
  leaseMs: number;
  /** Most groups one flush takes: its reads and its transaction cost the same number of statements however many. */
  batchSize: number;
  publicUrl: string;
  onTick?: (result: TickResult) => void;
}

/**
 * Flushes due notification groups (spec A5, A9.3) in batches: each group's tick is claimed by one instance (SKIP
 * LOCKED + a lease), and a batch of claims is decided, enqueued and logged in one transaction fenced on each claim,
 * so 3 instances flush each tick once. An item of the loop is a batch; `concurrency` batches run at once.
 */
export class NotifyDispatchLoop extends LeasedLoop<ClaimedGroup[], void> {
  private readonly flush: FlushOptions;

  constructor(private readonly o: NotifyDispatchOptions) {
    super(o, async (sql, instance, free) => {
      const claims = await claimDueGroups(sql, instance, free * o.batchSize, o.clock(), o.leaseMs);
      return Array.from({ length: Math.ceil(claims.length / o.batchSize) }, (_, i) =>
        claims.slice(i * o.batchSize, (i + 1) * o.batchSize),
      );
    });
    this.flush = { owner: o.instance, limit: o.batchSize, leaseMs: o.leaseMs, publicUrl: o.publicUrl };
  }

  /** A group's group_wait ends between polls: its first tick goes out on time, not up to a poll late. */
  protected override nextDueInMs() {
    return msUntilNextTick(this.o.sql, this.o.clock());
  }

  protected async run(claims: ClaimedGroup[]) {
    try {
      await this.flushBatch(claims);
    } catch (err) {
      // Nothing was written: one group failing (a secret that no longer opens, say) must not hold back the others.
      this.o.logger.warn({ err, groups: claims.length }, 'could not flush a batch of notification groups');
      if (claims.length > 1) for (const claim of claims) await this.flushOne(claim);
    }
  }

  private async flushBatch(claims: ClaimedGroup[]) {
    const results = await flushGroups({ sql: this.o.sql, db: this.o.db }, claims, this.o.clock(), this.flush);
    for (const result of results) this.o.onTick?.(result);
  }

  private async flushOne(claim: ClaimedGroup) {
    try {
      await this.flushBatch([claim]);
    } catch (err) {
      // Nothing was written: the claim lapses and an instance flushes the tick again.
      this.o.logger.warn(
        { err, routeId: claim.routeId, groupKey: claim.groupKey },
        'could not flush notification group',
      );
    }
  }
}
