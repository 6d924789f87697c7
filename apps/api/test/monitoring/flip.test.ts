import type { Database } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckScheduler } from '../../src/monitoring/scheduler';
import { insertCheck, monitoringDb, scheduler, startTarget, until } from './fixtures';

let db: Database;
let target: Awaited<ReturnType<typeof startTarget>>;
let sched: CheckScheduler;

beforeAll(async () => {
  db = await monitoringDb();
  target = await startTarget();
});
afterAll(async () => {
  await sched?.stop();
  await target?.close().catch(() => {});
  await db?.close();
});

const statusOf = async (id: string) =>
  (await db.sql<{ status: string }[]>`select status from checks where id = ${id}`)[0]!.status;

describe('an HTTP check against a target that flips', () => {
  it('goes DOWN after the confirmations and UP again, with the right error classes and events', async () => {
    const { id } = await insertCheck(db, { url: target.url, timeoutMs: 400, latencyThresholdMs: 150 });
    sched = scheduler(db, 'flip-test');
    sched.start();
    const becomes = (status: string, timeoutMs: number) =>
      until(
        () => statusOf(id),
        (s) => s === status,
        timeoutMs,
      );

    await becomes('up', 5_000);

    target.set('error');
    await becomes('down', 6_000);
    target.set('healthy');
    await becomes('up', 5_000);

    target.set('slow', 250); // passes, but slower than the 150 ms threshold
    await becomes('degraded', 5_000);

    target.set('hang'); // beyond the 400 ms timeout
    await becomes('down', 6_000);
    target.set('healthy');
    await becomes('up', 5_000);

    await target.close(); // connection refused
    await becomes('down', 6_000);
    await sched.stop();

    const events = await db.sql<{ from_status: string; to_status: string; cause: string }[]>`
      select from_status, to_status, cause from monitor_events where check_id = ${id} order by at, id`;
    expect(events.map((e) => `${e.from_status}>${e.to_status}`)).toEqual([
      'unknown>up',
      'up>down',
      'down>up',
      'up>degraded',
      'degraded>down',
      'down>up',
      'up>down',
    ]);
    expect(events[1]!.cause).toMatch(/^2 consecutive failures: .*500/);
    expect(events[4]!.cause).toMatch(/timed out/i);
    expect(events[6]!.cause).toMatch(/refused/i);

    const classes = await db.sql<{ error_class: string | null; n: number }[]>`
      select error_class, count(*)::int as n from check_results where check_id = ${id} group by 1`;
    const seen = new Set(classes.map((c) => c.error_class));
    for (const c of [null, 'status', 'timeout', 'refused']) expect(seen).toContain(c);

    // DOWN needed two failures in a row: the first failure after UP did not change the state.
    const downs = await db.sql<{ n: number }[]>`
      select count(*)::int as n from check_results where check_id = ${id} and error_class = 'status'`;
    expect(downs[0]!.n).toBeGreaterThanOrEqual(2);
  });
});
