import { createDatabase, type Database } from '@sextant/db';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckScheduler } from '../../src/monitoring/scheduler';
import { insertCheck, monitoringDb, scheduler, startTarget } from './fixtures';

const CHECKS = 50;
const RUN_MS = 20_000;

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

describe('three schedulers on one database', () => {
  it('run each of 50 one-second checks once per slot, and lose none when an instance dies', async () => {
    const target = await startTarget();
    cleanup.push(() => target.close());
    const setup = await monitoringDb();
    cleanup.push(() => setup.close());
    const ids: string[] = [];
    for (let i = 0; i < CHECKS; i++)
      ids.push((await insertCheck(setup, { url: target.url, intervalSeconds: 1, timeoutMs: 300 })).id);

    // Each "instance" has its own pool, as separate processes would.
    const url = setup.sql.options as unknown as {
      host: string[];
      port: number[];
      database: string;
      user: string;
      pass: string;
    };
    const dbUrl = `postgres://${url.user}:${url.pass}@${url.host[0]}:${url.port[0]}/${url.database}`;
    const pools: Database[] = [1, 2, 3].map(() => createDatabase(dbUrl, { max: 8 }));
    for (const p of pools) cleanup.push(() => p.close(0));
    const schedulers: CheckScheduler[] = pools.map((p, i) => scheduler(p, `instance-${i + 1}`));
    const started = Date.now();
    for (const s of schedulers) s.start();

    // Halfway through, instance 3 dies: no graceful stop, its connections cut mid-flight and never back.
    await new Promise((r) => setTimeout(r, RUN_MS / 2));
    const killedAt = Date.now();
    await pools[2]!.sql.end({ timeout: 0 });
    cleanup.push(() => schedulers[2]!.stop());
    await new Promise((r) => setTimeout(r, RUN_MS / 2));
    await Promise.all([schedulers[0]!.stop(), schedulers[1]!.stop()]);

    const rows = await setup.sql<{ check_id: string; slot: number; instance: string }[]>`
      select check_id, extract(epoch from scheduled_at) * 1000 as slot, instance from check_results
      where check_id = any(${ids}::uuid[]) order by check_id, scheduled_at`;
    const byCheck = new Map<string, number[]>();
    for (const r of rows) byCheck.set(r.check_id, [...(byCheck.get(r.check_id) ?? []), Number(r.slot)]);

    const instances = new Set(rows.map((r) => r.instance));
    expect(instances.size).toBe(3); // the work really was shared

    let missedBeforeKill = 0;
    let worstGapAfterKill = 0;
    for (const id of ids) {
      const slots = byCheck.get(id) ?? [];
      // No slot ran twice (the unique key would have refused it, so count must equal distinct).
      expect(new Set(slots).size).toBe(slots.length);
      // Every check kept running after the kill.
      expect(slots.at(-1)!).toBeGreaterThan(killedAt + 2_000);
      for (let i = 1; i < slots.length; i++) {
        const gap = slots[i]! - slots[i - 1]!;
        if (slots[i]! < killedAt) missedBeforeKill += gap / 1000 - 1;
        else worstGapAfterKill = Math.max(worstGapAfterKill, gap);
      }
      // Roughly one run per second over the whole window.
      expect(slots.length).toBeGreaterThanOrEqual(Math.floor((Date.now() - started) / 1000) - 5);
    }
    // While all three ran, no check skipped a slot.
    expect(missedBeforeKill).toBe(0);
    // A dead instance's claimed checks wait at most for their lease (timeout 300 ms + margin 500 ms).
    expect(worstGapAfterKill).toBeLessThanOrEqual(2_000);
  }, 60_000);
});
