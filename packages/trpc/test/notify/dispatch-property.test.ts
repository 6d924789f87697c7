/**
 * Spec part B's properties over random timelines (fast-check, seeded so a failure replays): no idempotency key is
 * enqueued twice and every notify decision has its row; every firing alert is believed firing by its receiver
 * within gw + gi of starting; every alert notified as firing is finally told it resolved; sequences strictly
 * increase per group. Then two flushers racing on one env.database, and a claim whose lease lapsed.
 */
import { createDatabase } from '@sextant/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flushGroup, flushGroups, runDueFlushes } from '../../src/services/notify/flush';
import { claimDueGroups, claimKey, finishGroupTicks, snapshotGroups } from '../../src/services/notify/groups';
import {
  addReceiver,
  type Event,
  M,
  resetTimeline,
  rootRoute,
  runTimeline,
  S,
  type Seen,
  setTree,
  T0,
  timelineDb,
} from './timeline';

const env = timelineDb();
const GW = 30 * S;
const GI = 2 * M;

const NAMES = ['A', 'B', 'C', 'D'] as const;
/** A and B share group x, C and D group y. */
const groupOf = (name: string) => (name < 'C' ? 'x' : 'y');

const step = fc.record({
  at: fc.integer({ min: 0, max: 120 }).map((n) => n * 10 * S),
  name: fc.constantFrom(...NAMES),
  kind: fc.constantFrom('push' as const, 'resolve' as const),
});

/** What the receiver was last told of `name` by tick `at` (its group's messages only). */
function belief(seen: Seen[], name: string, at: number): 'firing' | 'resolved' | null {
  let told: 'firing' | 'resolved' | null = null;
  for (const m of seen) {
    if (m.at > at || !m.payload.groupKey.includes(`g="${groupOf(name)}"`)) continue;
    const a = m.payload.alerts.find((x) => x.labels.name === name);
    if (a) told = a.status;
  }
  return told;
}

describe('properties over random timelines', () => {
  it('exactly-once enqueue, first notice within gw + gi, every notified alert resolved, sequences increasing', async () => {
    const END = 21 * M;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 14 }), async (steps) => {
        await resetTimeline(env.database);
        const { receiverId, integrationIds } = await addReceiver(env.database);
        const route = {
          groupBy: ['g'],
          groupWaitSeconds: GW / S,
          groupIntervalSeconds: GI / S,
          repeatIntervalSeconds: 600,
        };
        await setTree(env.database, rootRoute(receiverId, route));
        const events: Event[] = steps.map((s) =>
          s.kind === 'push'
            ? { at: s.at, push: [s.name], labels: { g: groupOf(s.name) } }
            : { at: s.at, resolve: [s.name], labels: { g: groupOf(s.name) } },
        );
        for (const name of NAMES) events.push({ at: END, resolve: [name], labels: { g: groupOf(name) } });
        const t = await runTimeline(env.database, { events, until: END + GW + GI, t0: T0, integrationIds });

        // Exactly once: one row per notify decision, no key twice.
        const notified = t.ticks.flatMap((k) => k.decisions.filter((d) => d.notify));
        expect(notified.every((d) => d.outboxId !== null)).toBe(true);
        expect(new Set(t.messages.map((m) => m.idempotencyKey)).size).toBe(t.messages.length);
        expect(t.messages).toHaveLength(notified.length);

        // Sequences strictly increase per group, in tick order.
        const byGroup = new Map<string, number[]>();
        for (const m of t.messages)
          byGroup.set(m.payload.groupKey, [...(byGroup.get(m.payload.groupKey) ?? []), m.sequence]);
        for (const seqs of byGroup.values())
          expect([seqs, seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)]).toEqual([seqs, true]);

        // A firing occurrence that lasts gw + gi is believed firing by then (flaps inside a gi stay invisible).
        const sorted = [...steps].sort((a, b) => a.at - b.at);
        for (const name of NAMES) {
          let firing = false;
          const mine = sorted.filter((s) => s.name === name);
          for (const [i, s] of mine.entries()) {
            const starts = s.kind === 'push' && !firing;
            firing = s.kind === 'push';
            if (!starts) continue;
            const until = s.at + GW + GI;
            const interrupted = mine.slice(i + 1).some((n) => n.kind === 'resolve' && n.at <= until);
            if (!interrupted && until < END)
              expect([name, s.at, belief(t.messages, name, until)]).toEqual([name, s.at, 'firing']);
          }
          // Every alert ever notified firing is finally told it resolved.
          if (t.messages.some((m) => m.alerts.includes(`${name}:firing`)))
            expect([name, belief(t.messages, name, END + GW + GI)]).toEqual([name, 'resolved']);
        }
      }),
      { numRuns: 12, seed: 1_414, endOnFailure: true },
    );
  });
});

describe('several flushers on one env.database', () => {
  it('two flushers racing on the same due groups enqueue each tick once', async () => {
    const { receiverId } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId, { groupBy: ['...'] }));
    const events: Event[] = [{ at: 0, push: Array.from({ length: 24 }, (_, i) => `a${i}`) }];
    await runTimeline(env.database, { events, until: 0, t0: T0, integrationIds: [] });
    const other = createDatabase(env.url, { max: 4 });
    try {
      const at = T0 + GW;
      const [one, two] = await Promise.all([
        runDueFlushes(env.database, at, { owner: 'one', limit: 3 }),
        runDueFlushes(other, at, { owner: 'two', limit: 3 }),
      ]);
      expect(one.length + two.length).toBe(24);
      const [row] = await env.database.sql<{ rows: number; ticks: number }[]>`
        select count(*)::int as rows, count(distinct (group_key, tick_at))::int as ticks from notification_outbox`;
      expect(row).toEqual({ rows: 24, ticks: 24 });
    } finally {
      await other.close();
    }
  });

  it('a claim whose lease lapsed is fenced: the instance that took the group over flushes it, the first writes nothing', async () => {
    const { receiverId } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId));
    await runTimeline(env.database, {
      events: [{ at: 0, push: ['A'] }],
      until: 0,
      t0: T0,
      integrationIds: [],
    });
    const at = T0 + GW;
    const [stale] = await claimDueGroups(env.database.sql, 'stale', 10, at, 5 * S);
    expect(stale).toBeDefined();
    expect(await runDueFlushes(env.database, at + S, { owner: 'other' })).toEqual([]);
    const taken = await runDueFlushes(env.database, at + 6 * S, { owner: 'other' });
    expect(taken.map((k) => k.tickAt)).toEqual([at]);
    const options = { owner: 'stale', limit: 10, leaseMs: 5 * S, publicUrl: 'http://x' };
    expect(await flushGroup(env.database, stale!, at + 7 * S, options)).toBeNull();
    const [row] = await env.database.sql<{ n: number }[]>`select count(*)::int as n from notification_outbox`;
    expect(row!.n).toBe(1);
  });
  it('a batch holding a group another instance took over meanwhile flushes the others; that group writes nothing', async () => {
    const { receiverId } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId, { groupBy: ['...'] }));
    const events: Event[] = [{ at: 0, push: ['A', 'B', 'C'] }];
    await runTimeline(env.database, { events, until: 0, t0: T0, integrationIds: [] });
    const at = T0 + GW;
    const batch = await claimDueGroups(env.database.sql, 'stale', 10, at, 5 * S);
    expect(batch).toHaveLength(3);
    // The stale batch's leases lapse; the other instance takes one group over and flushes it.
    const [taken] = await claimDueGroups(env.database.sql, 'other', 1, at + 6 * S, 5 * S);
    const options = { owner: 'other', limit: 1, leaseMs: 5 * S, publicUrl: 'http://x' };
    expect(await flushGroups(env.database, [taken!], at + 6 * S, options)).toHaveLength(1);

    const stale = await flushGroups(env.database, batch, at + 7 * S, {
      ...options,
      owner: 'stale',
      limit: 10,
    });
    const others = batch.filter((c) => c.groupKey !== taken!.groupKey);
    expect(stale.map((r) => [r.groupKey, r.tickAt])).toEqual(others.map((c) => [c.groupKey, at]));
    const rows = await env.database.sql<{ groupKey: string; outbox: number; ticks: number; log: number }[]>`
      select g.group_key as "groupKey",
        (select count(*)::int from notification_outbox o where o.group_key = g.group_key) as outbox,
        (select count(*)::int from notification_ticks t where t.group_key = g.group_key) as ticks,
        (select count(*)::int from notification_log l where l.group_key = g.group_key) as log
      from alert_groups g order by 1`;
    expect(rows).toEqual(
      batch
        .map((c) => ({ groupKey: c.groupKey, outbox: 1, ticks: 1, log: 1 }))
        .sort((a, b) => (a.groupKey < b.groupKey ? -1 : 1)),
    );
  });
});

describe("a tick racing the alerts' own writes (spec A5.4)", () => {
  it('keeps a resolved member written since the snapshot, and a group an alert joined since, even if emptied', async () => {
    const { receiverId } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId));
    const events: Event[] = [
      { at: 0, push: ['A', 'B'] },
      { at: 10 * S, resolve: ['A', 'B'] },
    ];
    await runTimeline(env.database, { events, until: 10 * S, t0: T0, integrationIds: [] });
    const claim = { routeId: 'root', groupKey: '{}:{alertname="Test"}', tickAt: T0 + GW };
    const snapshotOf = async () => (await snapshotGroups(env.database.sql, [claim])).get(claimKey(claim))!;
    const snapshot = await snapshotOf();
    // After the snapshot: B is posted resolved again (its copy rewritten), C joins (version moves).
    await runTimeline(env.database, {
      events: [
        { at: 20 * S, resolve: ['B'] },
        { at: 20 * S, push: ['C'] },
      ],
      until: 20 * S,
      t0: T0,
      integrationIds: [],
    });
    const options = {
      claim,
      retired: snapshot.members,
      version: snapshot.version,
      lastTickAt: claim.tickAt,
      nextFlushAt: claim.tickAt + GI,
    };
    const destroyed = await env.database.sql.begin((tx) => finishGroupTicks(tx, [options]));
    const left = await env.database.sql<
      { name: string }[]
    >`select labels->>'name' as name from alert_group_members order by 1`;
    expect([destroyed.size, left.map((r) => r.name)]).toEqual([0, ['B', 'C']]);
    // With C gone and nothing written since, the next tick empties and destroys the group.
    await env.database.sql`delete from alert_group_members where labels->>'name' = 'C'`;
    const now = await snapshotOf();
    const again = await env.database.sql.begin((tx) =>
      finishGroupTicks(tx, [{ ...options, retired: now.members, version: now.version }]),
    );
    expect([...again]).toEqual([claimKey(claim)]);
  });
});
