/**
 * The spec's timelines B1–B13 and B16–B18 (alerting.md part B; B14, B15, B22 are in routing-timelines.test.ts) on a
 * fake clock and a real Postgres, alerts posted through the real /api/v2/alerts writer, the real flush at every tick. Default timers gw=30s, gi=5m, ri=4h, one webhook with
 * send_resolved. Tolerance: none — every tick lands on its exact millisecond (the clock is stepped to it).
 */
import { describe, expect, it } from 'vitest';
import { goTime } from '../../src/services/notify/compose';
import { recordReceiverData } from '../../src/services/notify/flush';
import {
  addReceiver,
  brief,
  type Event,
  H,
  M,
  resetTimeline,
  rootRoute,
  runTimeline,
  S,
  setTree,
  T0,
  timelineDb,
} from './timeline';

const env = timelineDb();

/** One receiver with the given integrations on the root route (timers overridable), then the timeline. */
async function run(
  events: Event[],
  until: number,
  o: { sendResolved?: boolean[]; route?: Parameters<typeof rootRoute>[1]; resolveTimeoutMs?: number } = {},
) {
  const { receiverId, integrationIds } = await addReceiver(
    env.database,
    (o.sendResolved ?? [true]).map((sendResolved) => ({ sendResolved })),
  );
  await setTree(env.database, rootRoute(receiverId, o.route));
  return runTimeline(env.database, {
    events,
    until,
    t0: T0,
    integrationIds,
    resolveTimeoutMs: o.resolveTimeoutMs,
  });
}

const groups = async () => (await env.database.sql`select 1 from alert_groups`).length;
const FIRST = 'first notification';

describe('grouping and timing', () => {
  it('B1 first notification: A at 0 -> one notification at 30s', async () => {
    const t = await run([{ at: 0, push: ['A'] }], 10 * M);
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing']]);
    expect(t.messages[0]!.payload.alerts[0]!.endsAt).toBe('0001-01-01T00:00:00Z');
    // Delivery stores what the remote answered for later messages on the log entry it was sent from.
    const [row] = await env.database.sql<
      { routeId: string; groupKey: string; receiverId: string; integrationId: string }[]
    >`select route_id as "routeId", group_key as "groupKey", receiver_id as "receiverId",
        integration_id as "integrationId" from notification_outbox`;
    await recordReceiverData(env.database.sql, row!, { threadId: 't1' });
    const [log] = await env.database.sql<
      { data: unknown }[]
    >`select receiver_data as data from notification_log`;
    expect(log!.data).toEqual({ threadId: 't1' });
  });

  it('B2 batching in gw: A at 0, B at 10s -> one notification at 30s with both', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: 10 * S, push: ['B'] },
      ],
      2 * M,
    );
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing B:firing']]);
  });

  it('B3 late joiner: B at 40s waits for the next tick at 5m30s, not 40s + gw', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: 40 * S, push: ['B'] },
      ],
      9 * M,
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing'],
      [5 * M + 30 * S, 'firing', 'new alerts added', 'A:firing B:firing'],
    ]);
  });

  it('B4 quiet ticks: nothing between 30s and 4h, though the group ticks every 5m', async () => {
    const t = await run([{ at: 0, push: ['A'] }], 4 * H - 1);
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing']]);
    const tickTimes = t.ticks.map((k) => k.tickAt - T0);
    expect(tickTimes.slice(0, 3)).toEqual([30 * S, 5 * M + 30 * S, 10 * M + 30 * S]);
    expect(tickTimes).toHaveLength(48);
  });

  it('B5 repeat, exact multiple: 4h00m30s (ours; AM 4h05m30s), then every 4h; ri=12m repeats at 15m30s', async () => {
    const t = await run([{ at: 0, push: ['A'] }], 8 * H + M);
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing'],
      [4 * H + 30 * S, 'firing', 'repeat interval elapsed', 'A:firing'],
      [8 * H + 30 * S, 'firing', 'repeat interval elapsed', 'A:firing'],
    ]);
    await resetTimeline(env.database);
    const odd = await run([{ at: 0, push: ['A'] }], 20 * M, { route: { repeatIntervalSeconds: 12 * 60 } });
    expect(odd.messages.map((m) => m.at)).toEqual([30 * S, 15 * M + 30 * S]);
  });

  it('B6 resolved before gw: endsAt 10s -> nothing at all, group destroyed', async () => {
    const t = await run([{ at: 0, push: ['A'], endsAt: 10 * S }], 10 * M);
    expect(t.messages).toEqual([]);
    expect(await groups()).toBe(0);
  });

  it('B7 resolve notice at 5m30s, group destroyed; a re-fire at 10m is a new group sent at 10m30s', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: 2 * M, resolve: ['A'] },
        { at: 10 * M, push: ['A'] },
      ],
      12 * M,
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing'],
      [5 * M + 30 * S, 'resolved', 'all alerts resolved', 'A:resolved'],
      [10 * M + 30 * S, 'firing', FIRST, 'A:firing'],
    ]);
    expect(t.messages[1]!.payload.alerts[0]!.endsAt).toBe(goTime(new Date(T0 + 2 * M)));
    expect(t.ticks.find((k) => k.tickAt === T0 + 5 * M + 30 * S)!.destroyed).toBe(true);
  });

  it('B8 send_resolved=false: nothing at 5m30s but the log is cleared; the re-fire at 10m is sent at 10m30s', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: 2 * M, resolve: ['A'] },
        {
          at: 6 * M,
          run: async () => {
            const [log] = await env.database.sql<{ firing: string[] }[]>`select firing from notification_log`;
            expect(log!.firing).toEqual([]);
          },
        },
        { at: 10 * M, push: ['A'] },
      ],
      12 * M,
      { sendResolved: [false] },
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing'],
      [10 * M + 30 * S, 'firing', FIRST, 'A:firing'],
    ]);
    const silent = t.ticks.find((k) => k.tickAt === T0 + 5 * M + 30 * S)!;
    expect(silent.decisions.map((d) => [d.notify, d.reason])).toEqual([[false, 'log updated silently']]);
  });

  it('B9 partial resolve: A firing + B resolved at 5m30s (some alerts resolved)', async () => {
    const t = await run(
      [
        { at: 0, push: ['A', 'B'] },
        { at: M, resolve: ['B'] },
      ],
      9 * M,
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing B:firing'],
      [5 * M + 30 * S, 'firing', 'some alerts resolved', 'A:firing B:resolved'],
    ]);
  });

  it('B9 partial resolve, send_resolved=false: silent at 5m30s; B re-firing at 7m is new at 10m30s (ours; AM waits for the repeat)', async () => {
    const t = await run(
      [
        { at: 0, push: ['A', 'B'] },
        { at: M, resolve: ['B'] },
        { at: 7 * M, push: ['B'] },
      ],
      12 * M,
      { sendResolved: [false] },
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing B:firing'],
      [10 * M + 30 * S, 'firing', 'new alerts added', 'A:firing B:firing'],
    ]);
    // The repeat clock was not touched by the silent update: the log's tick is still the first send's.
    const [log] = await env.database.sql<{ tickAt: Date; sequence: number }[]>`
      select tick_at as "tickAt", sequence from notification_log`;
    expect([log!.tickAt.getTime() - T0, log!.sequence]).toEqual([10 * M + 30 * S, 2]);
  });

  it('B10 resolve_timeout 10s, gw=1s, gi=5s: firing at 2s, resolved with the tick at 12s, endsAt 11s', async () => {
    const t = await run([{ at: S, push: ['A', 'B', 'C'] }], 20 * S, {
      route: { groupWaitSeconds: 1, groupIntervalSeconds: 5 },
      resolveTimeoutMs: 10 * S,
    });
    expect(brief(t.messages)).toEqual([
      [2 * S, 'firing', FIRST, 'A:firing B:firing C:firing'],
      [12 * S, 'resolved', 'all alerts resolved', 'A:resolved B:resolved C:resolved'],
    ]);
    expect(t.messages[1]!.payload.alerts.map((a) => a.endsAt)).toEqual(
      Array(3).fill(goTime(new Date(T0 + 11 * S))),
    );
  });

  it('B11 flap inside one gi: resolved at 1m, re-fired at 2m -> nothing at 5m30s', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: M, resolve: ['A'] },
        { at: 2 * M, push: ['A'] },
      ],
      9 * M,
    );
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing']]);
  });

  it('B12 old alert, new group: startsAt = now-10m is flushed at once, not after gw', async () => {
    const t = await run([{ at: 20 * M, push: ['A'], startsAt: 10 * M }], 21 * M);
    expect(brief(t.messages)).toEqual([[20 * M, 'firing', FIRST, 'A:firing']]);
  });

  it('B13 annotation change only: no notification until the repeat, which carries the new annotation', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'], annotations: { summary: 'one' } },
        { at: 3 * M, push: ['A'], annotations: { summary: 'two' } },
      ],
      4 * H + M,
    );
    expect(t.messages.map((m) => [m.at, m.payload.alerts[0]!.annotations.summary])).toEqual([
      [30 * S, 'one'],
      [4 * H + 30 * S, 'two'],
    ]);
  });
});

describe('silences', () => {
  it('B16 silence before the first send: 30s sends B only; 5m30s sends A and B (A new)', async () => {
    const t = await run(
      [
        { at: 0, push: ['A', 'B'] },
        { at: 10 * S, silence: { name: 'A' }, until: 3 * M },
      ],
      6 * M,
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'B:firing'],
      [5 * M + 30 * S, 'firing', 'new alerts added', 'A:firing B:firing'],
    ]);
    const [tick] = await env.database.sql<
      { suppressed: { labels: { name: string }; silencedBy: string[] }[] }[]
    >`
      select suppressed from notification_ticks order by tick_at limit 1`;
    expect(tick!.suppressed.map((s) => [s.labels.name, s.silencedBy.length])).toEqual([['A', 1]]);
  });

  it('B17 silence after the first send, long ri: nothing during or after it (A already known; AM the same)', async () => {
    const t = await run(
      [
        { at: 0, push: ['A', 'B'] },
        { at: M, silence: { name: 'A' }, until: 20 * M },
      ],
      40 * M,
    );
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing B:firing']]);
  });

  it('B18 resolve while silenced: sent at 5m30s (ours; AM never), log cleared, re-fire at 70m notified', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: M, silence: { name: 'A' }, until: H },
        { at: 2 * M, resolve: ['A'] },
        { at: 70 * M, push: ['A'] },
      ],
      72 * M,
    );
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', FIRST, 'A:firing'],
      [5 * M + 30 * S, 'resolved', 'all alerts resolved', 'A:resolved'],
      [70 * M + 30 * S, 'firing', FIRST, 'A:firing'],
    ]);
  });

  it('B18 with a silence that suppresses resolves: no resolve, and the re-fire is not new (AM behaviour)', async () => {
    const t = await run(
      [
        { at: 0, push: ['A'] },
        { at: M, silence: { name: 'A' }, until: H, suppressResolve: true },
        { at: 2 * M, resolve: ['A'] },
        { at: 70 * M, push: ['A'] },
      ],
      2 * H,
    );
    expect(brief(t.messages)).toEqual([[30 * S, 'firing', FIRST, 'A:firing']]);
  });
});
