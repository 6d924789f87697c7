import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@sextant/db';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateSlot, runDueRules, type SlotResult } from '../../src/services/alerting/engine';
import { claimDueRules } from '../../src/services/alerting/schedule';
import { addRule, engineDb, fakeClock, push, transitions } from './engine-fixture';

const RULES = 500;
const TICKS = 30;
const TICK_MS = 10_000;
const LEASE_MS = 25_000;
const METRICS = 20;
const HOSTS = ['a', 'b', 'c'];

const open: Database[] = [];
afterAll(async () => {
  await Promise.all(open.map((d) => d.close()));
});

const clock = fakeClock();
const start = clock.now();
const ids = Array.from({ length: RULES }, () => randomUUID());

/** Values that flap per metric, host and minute, so rules move through every state over the run. */
const value = (m: number, h: number, t: number) =>
  ((m * 7 + h * 13 + Math.floor(t / 45_000) * 29) % 100) + 0.5;

/** The same rules (ids, so phases) and samples in a fresh database. */
async function world(): Promise<{ url: string }> {
  const { url, database } = await engineDb(4);
  open.push(database);
  const points = [];
  for (let t = start - 60_000; t <= start + (TICKS + 1) * TICK_MS; t += 10_000)
    for (let m = 0; m < METRICS; m++)
      for (const [h, host] of HOSTS.entries())
        points.push({ name: `load_${m}`, labels: { host }, ts: t, value: value(m, h, t) });
  await push(database, points);
  // Four at a time: the pool's size.
  for (let from = 0; from < RULES; from += 4)
    await Promise.all(
      ids.slice(from, from + 4).map((id, k) => {
        const i = from + k;
        return addRule(
          database,
          {
            id,
            name: `Load${i}`,
            condition: {
              kind: 'metric',
              metric: `load_${i % METRICS}`,
              fn: 'max',
              matchers: [],
              by: ['host'],
              windowSeconds: 15,
              comparison: '>',
              threshold: 30 + (i % 50),
            },
            forSeconds: [0, 60, 120][i % 3]!,
            keepFiringForSeconds: i % 4 === 0 ? 60 : 0,
            intervalSeconds: [60, 120][i % 2]!,
          },
          start,
        );
      }),
    );
  return { url };
}

/** Runs every engine until none finds a due slot, at the current clock. */
async function drain(engines: { sql: Database['sql']; owner: string }[], log: SlotResult[]) {
  for (;;) {
    const passes = await Promise.all(
      engines.map((e) =>
        runDueRules(e.sql, {
          owner: e.owner,
          clock: clock.now,
          limit: 20,
          concurrency: 2,
          leaseMs: LEASE_MS,
        }),
      ),
    );
    log.push(...passes.flat());
    if (passes.every((p) => p.length === 0)) return;
  }
}

const key = (r: SlotResult) => `${r.ruleId}@${r.slotMs}`;

describe('three engine instances on one database (issue 13 acceptance)', () => {
  it('give exactly the transitions of one instance over 500 rules and 30 ticks, and a killed claim loses no slot', async () => {
    const single = await world();
    const one = createDatabase(single.url, { max: 4 });
    open.push(one);
    const soloLog: SlotResult[] = [];
    for (let tick = 0; tick <= TICKS; tick++) {
      clock.set(start + tick * TICK_MS);
      await drain([{ sql: one.sql, owner: 'solo' }], soloLog);
    }

    const shared = await world();
    const engines = ['e1', 'e2', 'e3'].map((owner) => {
      const database = createDatabase(shared.url, { max: 3 });
      open.push(database);
      return { sql: database.sql, owner };
    });
    const killer = createDatabase(shared.url, { max: 1 });
    open.push(killer);
    const trioLog: SlotResult[] = [];
    let stale: Awaited<ReturnType<typeof claimDueRules>> = [];
    for (let tick = 0; tick <= TICKS; tick++) {
      clock.set(start + tick * TICK_MS);
      // A fourth instance claims some due slots at tick 10 and dies before evaluating them.
      if (tick === 10) stale = await claimDueRules(killer.sql, 'killed', 7, clock.now(), LEASE_MS);
      await drain(engines, trioLog);
    }
    expect(stale.length).toBe(7);

    // Each slot evaluated and written exactly once, the killed claims' slots included (after the lease lapsed).
    const written = (log: SlotResult[]) =>
      log
        .filter((r) => r.written)
        .map(key)
        .sort();
    expect(written(trioLog)).toEqual(written(soloLog));
    expect(new Set(written(trioLog)).size).toBe(written(trioLog).length);
    for (const claim of stale) expect(written(trioLog)).toContain(`${claim.ruleId}@${claim.slotMs}`);

    const solo = await transitions(one);
    const trioDb = createDatabase(shared.url, { max: 1 });
    open.push(trioDb);
    const trio = await transitions(trioDb);
    expect(solo.length).toBeGreaterThan(RULES);
    expect(new Set(solo.map((t) => t.to))).toEqual(
      new Set(['inactive', 'pending', 'firing', 'recovering', 'resolved']),
    );
    expect(trio).toEqual(solo);

    // The dead instance's late write is fenced off: its slots were completed by others.
    const late = await evaluateSlot(killer.sql, stale[0]!, clock.now);
    expect(late.written).toBe(false);
    expect(await transitions(trioDb)).toEqual(solo);
  }, 120_000);
});
