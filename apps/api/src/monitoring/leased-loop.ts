import type { FastifyBaseLogger } from 'fastify';

export interface LoopOptions {
  /** Items running at once in this process. */
  concurrency: number;
  pollMs: number;
  logger: FastifyBaseLogger;
}

/**
 * Polls for due rows and runs them with bounded concurrency. Subclasses claim rows with
 * FOR UPDATE SKIP LOCKED and a lease, so each slot runs on one instance and a dead instance's work returns.
 */
export abstract class LeasedLoop<Item, Shared> {
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** The tick in progress: it may still be starting runs when stop() is called. */
  private ticking: Promise<number> | null = null;

  constructor(private readonly loop: LoopOptions) {}

  /** Claims up to `limit` due items and leases them to this instance. */
  protected abstract claim(limit: number): Promise<Item[]>;
  /** Loaded once per tick for all claimed items (e.g. the outbound policy). */
  protected abstract shared(): Promise<Shared>;
  protected abstract run(item: Item, shared: Shared): Promise<void>;

  start() {
    this.timer = setInterval(() => void this.tick(), this.loop.pollMs);
    this.timer.unref();
  }

  /** Stops claiming and waits for runs in flight (each bounded by its own timeout). */
  async stop() {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  tick(): Promise<number> {
    if (this.ticking || this.stopping) return Promise.resolve(0);
    this.ticking = this.claimAndStart().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async claimAndStart(): Promise<number> {
    try {
      const free = this.loop.concurrency - this.running.size;
      if (free <= 0) return 0;
      const claimed = await this.claim(free);
      if (claimed.length === 0) return 0;
      const shared = await this.shared();
      for (const item of claimed) {
        const run = this.run(item, shared).finally(() => this.running.delete(run));
        this.running.add(run);
      }
      return claimed.length;
    } catch (err) {
      this.loop.logger.warn({ err }, `${this.constructor.name} tick failed`);
      return 0;
    }
  }
}
