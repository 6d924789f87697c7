/**
 * Timelines through the routing tree (B14, B15), tree reloads (B31 and our A5 rule for changed and deleted routes),
 * and rule alerts joining through the engine's own write (R1 + A5).
 */
import type { RouteNode } from '@sextant/db';
import { describe, expect, it } from 'vitest';
import { goTime } from '../../src/services/notify/compose';
import { runDueFlushes } from '../../src/services/notify/flush';
import { addRule, evalNext, fakeClock, nextEval, push } from '../alerting/engine-fixture';
import {
  addReceiver,
  brief,
  type Event,
  H,
  M,
  messages,
  rootRoute,
  runTimeline,
  S,
  setTree,
  T0,
  timelineDb,
} from './timeline';

const env = timelineDb();

const child = (
  id: string,
  receiverId: string,
  matchers: RouteNode['matchers'],
  over: Partial<RouteNode> = {},
): RouteNode => ({
  id,
  matchers,
  continue: false,
  receiverId,
  children: [],
  ...over,
});

/** Receivers named by index; messages come back with `integration` = that index. */
async function receivers(n: number) {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await addReceiver(env.database));
  return { ids: made.map((r) => r.receiverId), integrationIds: made.map((r) => r.integrationIds[0]!) };
}

const byReceiver = (seen: Awaited<ReturnType<typeof messages>>) =>
  seen.map((s) => [s.integration, s.at, s.alerts.join(' '), s.payload.groupKey]);

describe('routing', () => {
  it('B14 continue: {db, critical} reaches db-pager and oncall, {db, warning} db-pager only, {web} the default', async () => {
    const { ids, integrationIds } = await receivers(3);
    const [fallback, dbPager, oncall] = ids as [string, string, string];
    await setTree(
      env.database,
      rootRoute(fallback, {
        children: [
          child('db', dbPager, [{ label: 'team', op: '=', value: 'db' }], { continue: true }),
          child('crit', oncall, [{ label: 'severity', op: '=', value: 'critical' }]),
        ],
      }),
    );
    const events: Event[] = [
      { at: 0, push: ['X'], labels: { team: 'db', severity: 'critical' } },
      { at: 0, push: ['Y'], labels: { team: 'db', severity: 'warning' } },
      { at: 0, push: ['Z'], labels: { team: 'web' } },
    ];
    const t = await runTimeline(env.database, { events, until: M, t0: T0, integrationIds });
    expect(byReceiver(t.messages)).toEqual([
      [0, 30 * S, 'Z:firing', '{}:{alertname="Test"}'],
      [1, 30 * S, 'X:firing Y:firing', '{}/{team="db"}:{alertname="Test"}'],
      [2, 30 * S, 'X:firing', '{}/{severity="critical"}:{alertname="Test"}'],
    ]);
  });

  it('B15 group_by: "..." one group per alert; [] one group for all; [cluster] with cluster missing forms its own group', async () => {
    const { ids, integrationIds } = await receivers(3);
    await setTree(
      env.database,
      rootRoute(ids[0]!, {
        children: [
          child('all', ids[0]!, [{ label: 'g', op: '=', value: 'all' }], { groupBy: ['...'] }),
          child('none', ids[1]!, [{ label: 'g', op: '=', value: 'none' }], { groupBy: [] }),
          child('cluster', ids[2]!, [{ label: 'g', op: '=', value: 'cluster' }], { groupBy: ['cluster'] }),
        ],
      }),
    );
    const events: Event[] = [
      { at: 0, push: ['A', 'B'], labels: { g: 'all' } },
      { at: 0, push: ['C', 'D'], labels: { g: 'none' } },
      { at: 0, push: ['E'], labels: { g: 'cluster', cluster: 'eu1' } },
      { at: 0, push: ['F'], labels: { g: 'cluster' } },
    ];
    const t = await runTimeline(env.database, { events, until: M, t0: T0, integrationIds });
    expect(
      t.messages
        .map((s) => [
          s.integration,
          s.alerts.join(' '),
          JSON.stringify(Object.entries(s.payload.groupLabels).sort()),
        ])
        .sort(),
    ).toEqual([
      [0, 'A:firing', '[["alertname","Test"],["g","all"],["name","A"]]'],
      [0, 'B:firing', '[["alertname","Test"],["g","all"],["name","B"]]'],
      [1, 'C:firing D:firing', '[]'],
      [2, 'E:firing', '[["cluster","eu1"]]'],
      [2, 'F:firing', '[]'],
    ]);
  });
});

describe('reloads (spec A5 our rule)', () => {
  it('B31 reload without a route change at 2m: no re-notification; B joining at 3m is sent at 5m30s (tick continuity)', async () => {
    const { receiverId, integrationIds } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId));
    const events: Event[] = [
      { at: 0, push: ['A'] },
      { at: 2 * M, run: () => setTree(env.database, rootRoute(receiverId)) },
      { at: 3 * M, push: ['B'] },
    ];
    const t = await runTimeline(env.database, { events, until: 9 * M, t0: T0, integrationIds });
    expect(brief(t.messages)).toEqual([
      [30 * S, 'firing', 'first notification', 'A:firing'],
      [5 * M + 30 * S, 'firing', 'new alerts added', 'A:firing B:firing'],
    ]);
  });

  it('a changed group_by moves an alert on its next write: resolved in the group it left, new in the one it joined', async () => {
    const { receiverId, integrationIds } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId));
    const events: Event[] = [
      { at: 0, push: ['A'] },
      { at: 2 * M, run: () => setTree(env.database, rootRoute(receiverId, { groupBy: ['name'] })) },
      { at: 3 * M, push: ['A'] },
    ];
    const t = await runTimeline(env.database, { events, until: 9 * M, t0: T0, integrationIds });
    expect(t.messages.map((s) => [s.at, s.alerts.join(' '), s.payload.groupKey, s.reason])).toEqual([
      [30 * S, 'A:firing', '{}:{alertname="Test"}', 'first notification'],
      // An old alert in a new group is flushed at once (A5.1, B12).
      [3 * M, 'A:firing', '{}:{name="A"}', 'first notification'],
      [5 * M + 30 * S, 'A:resolved', '{}:{alertname="Test"}', 'all alerts resolved'],
    ]);
  });

  it('a deleted route drops its group at the next tick without a message; its alert joins the parent route on its next write', async () => {
    const { ids, integrationIds } = await receivers(2);
    const team = child('team', ids[1]!, [{ label: 'team', op: '=', value: 'db' }]);
    await setTree(env.database, rootRoute(ids[0]!, { children: [team] }));
    const events: Event[] = [
      { at: 0, push: ['A'], labels: { team: 'db' } },
      { at: 2 * M, run: () => setTree(env.database, rootRoute(ids[0]!)) },
      { at: 3 * M, push: ['A'], labels: { team: 'db' } },
    ];
    const t = await runTimeline(env.database, { events, until: 9 * M, t0: T0, integrationIds });
    expect(byReceiver(t.messages)).toEqual([
      [1, 30 * S, 'A:firing', '{}/{team="db"}:{alertname="Test"}'],
      [0, 3 * M, 'A:firing', '{}:{alertname="Test"}'],
    ]);
    expect(t.ticks.filter((k) => k.dropped).map((k) => [k.routeId, k.tickAt - T0])).toEqual([
      ['team', 5 * M + 30 * S],
    ]);
  });
});

describe('rule alerts join through the engine write (R1 + A5)', () => {
  it('a rule alert firing at a slot is notified at slot + gw; its resolve carries the value at resolve time', async () => {
    const { receiverId, integrationIds } = await addReceiver(env.database);
    await setTree(env.database, rootRoute(receiverId, { groupBy: ['alertname'] }));
    const clock = fakeClock();
    const metric = `notify_${Date.now()}`;
    const condition = {
      kind: 'metric' as const,
      metric,
      fn: 'max' as const,
      matchers: [],
      by: ['host'],
      windowSeconds: 10,
      comparison: '>' as const,
      threshold: 80,
    };
    const ruleId = await addRule(env.database, { name: 'Hot', condition, intervalSeconds: 60 }, clock.now());
    const step = async (value: number) => {
      const slot = await nextEval(env.database, ruleId);
      await push(env.database, [{ name: metric, labels: { host: 'a' }, ts: slot - 5 * S, value }]);
      await evalNext(env.database, clock, ruleId);
      return slot;
    };
    const fired = await step(90);
    expect(await runDueFlushes(env.database, fired + 30 * S - 1)).toEqual([]);
    await runDueFlushes(env.database, fired + 30 * S);
    await step(95);
    const resolved = await step(10);
    await runDueFlushes(env.database, fired + 30 * S + 5 * M);
    const seen = await messages(env.database, fired, integrationIds);
    const fp = seen[0]!.payload.alerts[0]!.fingerprint;
    expect(seen.map((s) => [s.at, s.status, s.alerts.join(' '), s.payload.alerts[0]!.value])).toEqual([
      [30 * S, 'firing', `${fp}:firing`, 90],
      [5 * M + 30 * S, 'resolved', `${fp}:resolved`, 10],
    ]);
    expect(seen[1]!.payload.alerts[0]).toMatchObject({
      labels: { alertname: 'Hot', host: 'a' },
      endsAt: goTime(new Date(resolved)),
      generatorURL: expect.stringContaining(`?rule=${ruleId}`),
    });
  });
});

describe('time intervals', () => {
  const SATURDAY_10 = Date.UTC(2026, 10, 28, 10);
  const interval = (name: string, intervals: unknown[]) =>
    env.database
      .sql`insert into time_intervals (name, intervals) values (${name}, ${JSON.stringify(intervals)}::jsonb)`;

  it('B22 muted on weekends: an alert firing Saturday 10:00 is first notified at the first tick after Monday 00:00', async () => {
    await interval('weekend', [{ weekdays: ['saturday', 'sunday'] }]);
    const { receiverId, integrationIds } = await addReceiver(env.database);
    // Our rule: the child inherits its parent's mute interval (AM would not mute it).
    const inherits = child('child', receiverId, [{ label: 'team', op: '=', value: 'db' }]);
    // gi = 1 h keeps the ticks few; they still land on 38h00m30s, the first after Monday 00:00.
    const over = { muteTimeIntervals: ['weekend'], groupIntervalSeconds: 3600, children: [inherits] };
    await setTree(env.database, rootRoute(receiverId, over));
    const t = await runTimeline(env.database, {
      events: [
        { at: 0, push: ['A'] },
        { at: 0, push: ['B'], labels: { team: 'db' } },
      ],
      until: 39 * H,
      t0: SATURDAY_10,
      integrationIds,
      resolveTimeoutMs: 72 * H,
    });
    expect(t.messages.map((m) => [m.at, m.alerts.join(' '), m.payload.groupKey])).toEqual([
      [38 * H + 30 * S, 'A:firing', '{}:{alertname="Test"}'],
      [38 * H + 30 * S, 'B:firing', '{}/{team="db"}:{alertname="Test"}'],
    ]);
    const [muted] = await env.database.sql<{ suppressed: { mutedBy: string[] }[] }[]>`
      select suppressed from notification_ticks order by tick_at limit 1`;
    expect(muted!.suppressed[0]!.mutedBy).toEqual(['weekend']);
  });

  it('B22 active 09:00-17:00: a tick at 16:59:59 sends, one at 17:00:00 does not (end exclusive)', async () => {
    await interval('business', [{ times: [{ start: '09:00', end: '17:00' }] }]);
    const { receiverId, integrationIds } = await addReceiver(env.database);
    await setTree(
      env.database,
      rootRoute(receiverId, { groupBy: ['name'], activeTimeIntervals: ['business'] }),
    );
    const t0 = Date.UTC(2026, 10, 27, 16, 59);
    const t = await runTimeline(env.database, {
      events: [
        { at: -31 * S, push: ['A'] },
        { at: -30 * S, push: ['B'] },
      ].map((e) => ({ ...e, at: e.at + M })),
      until: 2 * M,
      t0,
      integrationIds,
    });
    expect(t.messages.map((m) => [m.at + t0, m.alerts.join(' ')])).toEqual([
      [Date.UTC(2026, 10, 27, 16, 59, 59), 'A:firing'],
    ]);
    expect(t.ticks.map((k) => [k.tickAt, k.decisions[0]!.reason])).toEqual([
      [Date.UTC(2026, 10, 27, 16, 59, 59), 'first notification'],
      [Date.UTC(2026, 10, 27, 17), 'muted'],
    ]);
  });
});
