import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LeasedLoop } from '../../src/monitoring/leased-loop';

/** A loop whose claims the test releases one by one; each claim returns what `due` held when it started. */
class GatedLoop extends LeasedLoop<number, void> {
  claims = 0;
  ran: number[] = [];
  due: number[] = [];
  private gates: (() => void)[] = [];
  constructor() {
    super(
      {
        sql: null as never,
        instance: 'test',
        concurrency: 10,
        pollMs: 1_000_000,
        leaseMarginMs: 0,
        probeOptions: async () => {},
        logger: pino({ level: 'silent' }),
      },
      async () => {
        this.claims++;
        const seen = this.due.splice(0);
        await new Promise<void>((resolve) => this.gates.push(resolve));
        return seen;
      },
    );
  }
  release() {
    this.gates.shift()?.();
  }
  protected async run(item: number) {
    this.ran.push(item);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LeasedLoop', () => {
  it('a wake-up that comes while a claim runs is not lost: one more claim follows it', async () => {
    const loop = new GatedLoop();
    const first = loop.tick();
    await settle();
    // Rows become due while the first claim is under way (it no longer sees them), and the writer wakes the loop.
    loop.due.push(1, 2);
    void loop.tick();
    void loop.tick();
    loop.release();
    expect(await first).toBe(0);
    await settle();
    expect(loop.claims).toBe(2);
    loop.release();
    await settle();
    expect(loop.ran).toEqual([1, 2]);
    // Two wake-ups during one claim make one more claim, not two.
    expect(loop.claims).toBe(2);
    await loop.stop();
  });
});
