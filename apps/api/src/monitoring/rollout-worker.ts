import type { Db, Sql } from '@sextant/db';
import { type RolloutTickResult, rolloutTick } from '@sextant/trpc';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Every instance ticks the rollout worker (services/rollouts/worker.ts): due rollouts are claimed with FOR UPDATE
 * SKIP LOCKED and every write is fenced, so 3 instances apply a pause's end or an analysis result once.
 */
export class RolloutWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly o: {
      db: Db;
      sql: Sql;
      pollMs: number;
      logger: FastifyBaseLogger;
      clock: () => number;
      /** A transition enqueued webhooks: the delivery loop takes them now. */
      onAdvanced?: (r: RolloutTickResult) => void;
    },
  ) {}

  start() {
    this.stopped = false;
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.o.pollMs);
    this.timer.unref();
  }

  /** One tick at the clock's time; errors are logged, never thrown (the next tick tries again). */
  async tick(): Promise<RolloutTickResult | null> {
    try {
      const r = await rolloutTick({ db: this.o.db, sql: this.o.sql }, this.o.clock());
      if (r.advanced > 0) this.o.onAdvanced?.(r);
      return r;
    } catch (err) {
      this.o.logger.error({ err }, 'rollout tick failed');
      return null;
    }
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
