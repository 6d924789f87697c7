import type { Sql } from '@sextant/db';
import type { FastifyBaseLogger } from 'fastify';
import type { ProbeOptions } from './probe';

export interface LoopOptions<Options = ProbeOptions> {
  sql: Sql;
  /** Unique per process; leases carry it. */
  instance: string;
  /** Items running at once in this process. */
  concurrency: number;
  pollMs: number;
  /** Extra lease time beyond an item's timeout before another instance may take it over. */
  leaseMarginMs: number;
  /** Outbound policy and body cap (or what else the loop's runs share), loaded once per tick for every item it starts. */
  probeOptions: () => Promise<Options>;
  logger: FastifyBaseLogger;
  /** Wake when the next row falls due (nextDueInMs) rather than at the next poll; tests that step a clock leave it off. */
  wakeOnNextDue?: boolean;
}

/** Leases up to `limit` due rows to `instance` (e.g. claimDueChecks). */
export type ClaimDue<Item> = (
  sql: Sql,
  instance: string,
  limit: number,
  leaseMarginMs: number,
) => Promise<Item[]>;

/**
 * Polls for due rows and runs them with bounded concurrency. Subclasses claim rows with
 * FOR UPDATE SKIP LOCKED and a lease, so each slot runs on one instance and a dead instance's work returns.
 */
export abstract class LeasedLoop<Item, Options = ProbeOptions> {
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** The tick in progress: it may still be starting runs when stop() is called. */
  private ticking: Promise<number> | null = null;
  /** The last claim may have left due rows behind: claim again as each run ends, not at the next poll. */
  private more = false;
  /** tick() was called while a claim was in progress: rows it could not see may be due now. */
  private again = false;
  /** A one-shot tick for the next row due before the next poll, and the due time it was set for. */
  private wake: NodeJS.Timeout | null = null;
  private wakeFor: number | null = null;

  constructor(
    private readonly loop: LoopOptions<Options>,
    private readonly claimDue: ClaimDue<Item>,
  ) {}

  protected abstract run(item: Item, options: Options): Promise<void>;

  /**
   * Whether a claim of `claimed` rows out of `limit` may have left due rows behind. A full claim may; loops whose
   * claims are capped below the free slots (per endpoint, say) override this.
   */
  protected mayHaveMore(claimed: number, limit: number): boolean {
    return claimed === limit;
  }

  /**
   * Milliseconds until the next row falls due, or null when unknown. A loop that answers is woken then, not at the
   * next poll, when nothing was left due (e.g. a notification group's group_wait ends between two polls).
   */
  protected nextDueInMs(): Promise<number | null> {
    return Promise.resolve(null);
  }

  start() {
    this.timer = setInterval(() => void this.tick(), this.loop.pollMs);
    this.timer.unref();
  }

  /** Stops claiming and waits for runs in flight (each bounded by its own timeout). */
  async stop() {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake);
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  /** Claims and starts what is due; called while a claim runs, it claims once more after it (a wake-up is never lost). */
  tick(): Promise<number> {
    if (this.stopping) return Promise.resolve(0);
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = this.claimAndStart().finally(() => {
      this.ticking = null;
      if (this.again) {
        this.again = false;
        setImmediate(() => void this.tick());
      }
    });
    return this.ticking;
  }

  private async wakeForNextDue() {
    if (!this.loop.wakeOnNextDue) return;
    const ms = await this.nextDueInMs();
    if (ms === null || ms >= this.loop.pollMs || this.stopping) return;
    // Once per due time: a wake that found the row taken (or still not due) leaves the rest to the poll.
    const at = Math.round(performance.now() + ms);
    if (this.wakeFor !== null && Math.abs(at - this.wakeFor) < 5) return;
    this.wakeFor = at;
    if (this.wake) clearTimeout(this.wake);
    this.wake = setTimeout(() => {
      this.wake = null;
      void this.tick();
    }, ms);
    this.wake.unref();
  }

  private async claimAndStart(): Promise<number> {
    try {
      const free = this.loop.concurrency - this.running.size;
      if (free <= 0) return 0;
      const { sql, instance, leaseMarginMs } = this.loop;
      const claimed = await this.claimDue(sql, instance, free, leaseMarginMs);
      this.more = this.mayHaveMore(claimed.length, free);
      // Not awaited: a failed peek must not strand what was claimed, and the poll still comes.
      if (!this.more) void this.wakeForNextDue().catch(() => {});
      if (claimed.length === 0) return 0;
      const options = await this.loop.probeOptions();
      for (const item of claimed) {
        const run = this.run(item, options).finally(() => {
          this.running.delete(run);
          if (this.more && !this.stopping) setImmediate(() => void this.tick());
        });
        this.running.add(run);
      }
      return claimed.length;
    } catch (err) {
      this.loop.logger.warn({ err }, `${this.constructor.name} tick failed`);
      return 0;
    }
  }
}
