import type { Db } from '@sextant/db';
import {
  type ClaimedGroup,
  claimDueGroups,
  type FlushOptions,
  flushGroup,
  type TickResult,
} from '@sextant/trpc';
import { LeasedLoop, type LoopOptions } from './leased-loop';

export interface NotifyDispatchOptions extends LoopOptions<void> {
  /** The same pool through Drizzle, for muting's reads. */
  db: Db;
  /** The engine's clock (epoch ms): ticks are decided by it, never by SQL now(). */
  clock: () => number;
  leaseMs: number;
  publicUrl: string;
  onTick?: (result: TickResult) => void;
}

/**
 * Flushes due notification groups (spec A5, A9.3): each group's tick is claimed by one instance (SKIP LOCKED + a
 * lease) and decided, enqueued and logged in one transaction fenced on the claim, so 3 instances flush each tick once.
 */
export class NotifyDispatchLoop extends LeasedLoop<ClaimedGroup, void> {
  private readonly flush: FlushOptions;

  constructor(private readonly o: NotifyDispatchOptions) {
    super(o, (sql, instance, limit) => claimDueGroups(sql, instance, limit, o.clock(), o.leaseMs));
    this.flush = { owner: o.instance, limit: o.concurrency, leaseMs: o.leaseMs, publicUrl: o.publicUrl };
  }

  protected async run(claim: ClaimedGroup) {
    try {
      const result = await flushGroup({ sql: this.o.sql, db: this.o.db }, claim, this.o.clock(), this.flush);
      if (result) this.o.onTick?.(result);
    } catch (err) {
      // Nothing was written: the claim lapses and an instance flushes the tick again.
      this.o.logger.warn(
        { err, routeId: claim.routeId, groupKey: claim.groupKey },
        'could not flush notification group',
      );
    }
  }
}
