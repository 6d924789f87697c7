import { schema } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { fingerprint } from '../../src/services/alerting/fingerprint';
import { insertAlertRule } from '../../src/testing/fixtures';
import {
  insertReceiver,
  insertTick,
  type NotifyTarget,
  recordAttempt,
} from '../../src/testing/notify-fixtures';
import { createCallerFactory } from '../../src/trpc';
import { createFixture, type Fixture } from '../fixtures';

/**
 * `notifications.*` on a real Postgres, over rows as the flush and the outbox write them. The procedures read the
 * real clock for their default window, so tick times are set relative to it; nothing depends on call duration.
 */
let fx: Fixture;
let hook: NotifyTarget;
let pager: NotifyTarget;
const MIN = 60_000;
const T0 = Date.now() - 60 * MIN;
const alert = (name: string, extra: Record<string, string> = {}) => {
  const labels = { alertname: name, ...extra };
  return { fingerprint: fingerprint(labels), labels };
};
const disk = alert('DiskFull', { team: 'db' });
const cpu = alert('CpuHigh', { team: 'db' });
const noisy = alert('Noisy', { team: 'db' });
const viewer = () => createCallerFactory(appRouter)(fx.ctx(fx.user('viewer')));

const ticks: Record<string, Awaited<ReturnType<typeof insertTick>>> = {};

beforeAll(async () => {
  fx = await createFixture();
  const db = fx.database.primary;
  hook = await insertReceiver(db, 'team-db-hook');
  pager = await insertReceiver(db, 'team-db-pager');
  const [rule] = await db
    .insert(schema.inhibitionRules)
    .values({ name: 'cluster down mutes db', sourceMatchers: [], targetMatchers: [], equal: [] })
    .returning();
  await db.insert(schema.timeIntervals).values({ name: 'weekends', intervals: [{ weekdays: ['saturday'] }] });
  const group = { team: 'db' };
  ticks.first = await insertTick(fx.database, {
    target: hook,
    groupLabels: group,
    tickAt: T0,
    firing: [disk],
    notify: true,
    reason: 'first notification',
  });
  ticks.quiet = await insertTick(fx.database, {
    target: hook,
    groupLabels: group,
    tickAt: T0 + 5 * MIN,
    firing: [disk],
    notify: false,
    reason: 'nothing new',
  });
  ticks.suppressed = await insertTick(fx.database, {
    target: hook,
    groupLabels: group,
    tickAt: T0 + 10 * MIN,
    firing: [disk, cpu],
    notify: true,
    reason: 'new alerts added',
    sequence: 2,
    suppressed: [
      {
        ...noisy,
        silencedBy: ['00000000-0000-4000-8000-00000000dead'],
        inhibitedBy: [{ ruleId: rule!.id, sourceFingerprint: 'ffffffffffffffff' }],
        mutedBy: ['weekends', 'inactive:office-hours'],
      },
    ],
  });
  ticks.resolved = await insertTick(fx.database, {
    target: hook,
    groupLabels: group,
    tickAt: T0 + 15 * MIN,
    firing: [cpu],
    resolved: [disk],
    notify: true,
    reason: 'some alerts resolved',
    sequence: 3,
  });
  ticks.pager = await insertTick(fx.database, {
    target: pager,
    groupLabels: group,
    tickAt: T0 + 15 * MIN,
    firing: [cpu],
    notify: true,
    reason: 'first notification',
  });
  ticks.old = await insertTick(fx.database, {
    target: hook,
    groupLabels: { team: 'old' },
    tickAt: Date.now() - 10 * 86_400_000,
    firing: [alert('Ancient')],
    notify: true,
    reason: 'first notification',
  });
  // The first message was delivered on the second try; the pager's died after a 500 and a 404.
  await recordAttempt(
    fx.database,
    ticks.first.outboxId!,
    { attempt: 1, at: T0 + 100, status: 503, outcome: 'retryable' },
    'pending',
  );
  await recordAttempt(
    fx.database,
    ticks.first.outboxId!,
    { attempt: 2, at: T0 + 2_000, status: 200, outcome: 'delivered' },
    'delivered',
  );
  await recordAttempt(
    fx.database,
    ticks.pager.outboxId!,
    { attempt: 1, at: T0 + 15 * MIN + 100, status: 500, outcome: 'retryable' },
    'pending',
  );
  await recordAttempt(
    fx.database,
    ticks.pager.outboxId!,
    { attempt: 2, at: T0 + 15 * MIN + 1_200, status: 404, outcome: 'permanent' },
    'dead',
  );
});
afterAll(() => fx?.close());

describe('notifications.ticks', () => {
  it('lists every decision newest first, the old one outside the default 7-day window', async () => {
    const page = await viewer().notifications.ticks({});
    expect(page.items.map((t) => t.id)).toEqual(
      [ticks.pager, ticks.resolved, ticks.suppressed, ticks.quiet, ticks.first].map((t) => t!.tickId),
    );
    expect(page.nextCursor).toBeNull();
    const latest = page.items[1]!;
    expect(latest).toMatchObject({
      groupLabels: { team: 'db' },
      receiver: { id: hook.receiverId, name: 'team-db-hook' },
      firingCount: 1,
      resolvedCount: 1,
      suppressedCount: 0,
    });
    expect(latest.decisions).toEqual([
      expect.objectContaining({ notify: true, reason: 'some alerts resolved', sequence: 3 }),
    ]);
    const wider = await viewer().notifications.ticks({ from: new Date(Date.now() - 20 * 86_400_000) });
    expect(wider.items.map((t) => t.id)).toContain(ticks.old!.tickId);
  });

  it('pages with a cursor without repeating or skipping a row, ties on tick time included', async () => {
    const seen: number[] = [];
    let cursor: { at: Date; id: number } | undefined;
    do {
      const page = await viewer().notifications.ticks({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(
      [ticks.pager, ticks.resolved, ticks.suppressed, ticks.quiet, ticks.first].map((t) => t!.tickId),
    );
  });

  it('filters by receiver, group, fingerprint and decision', async () => {
    const ids = async (input: Parameters<ReturnType<typeof viewer>['notifications']['ticks']>[0]) =>
      (await viewer().notifications.ticks(input)).items.map((t) => t.id);
    expect(await ids({ receiverId: pager.receiverId })).toEqual([ticks.pager!.tickId]);
    expect(await ids({ fingerprint: noisy.fingerprint })).toEqual([ticks.suppressed!.tickId]);
    expect(await ids({ fingerprint: disk.fingerprint })).toHaveLength(4);
    expect(await ids({ decision: 'not_notified' })).toEqual([ticks.quiet!.tickId]);
    expect(await ids({ decision: 'suppressed' })).toEqual([ticks.suppressed!.tickId]);
    expect(await ids({ decision: 'notified' })).not.toContain(ticks.quiet!.tickId);
    expect(await ids({ groupKey: ticks.first!.groupKey, receiverId: hook.receiverId })).toHaveLength(4);
  });

  it('refuses unbounded pages and windows', async () => {
    for (const input of [
      { limit: 201 },
      { from: new Date(Date.now() - 40 * 86_400_000) },
      { from: new Date(), to: new Date(Date.now() - MIN) },
    ]) {
      const err = await viewer()
        .notifications.ticks(input)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
    }
  });
});

describe('notifications.tick', () => {
  it('explains one decision: sets with labels, what suppressed whom, with names to link to', async () => {
    const tick = await viewer().notifications.tick({ id: ticks.suppressed!.tickId });
    expect(tick.firing).toEqual([disk, cpu]);
    expect(tick.decisions).toEqual([
      expect.objectContaining({
        integrationId: hook.integrationId,
        kind: 'webhook',
        position: 0,
        notify: true,
        reason: 'new alerts added',
        // The next tick's message (sequence 3) replaced it before any worker took it.
        delivery: expect.objectContaining({
          id: ticks.suppressed!.outboxId,
          state: 'superseded',
          attempts: 0,
        }),
      }),
    ]);
    const [s] = tick.suppressed;
    expect(s).toMatchObject({
      fingerprint: noisy.fingerprint,
      labels: noisy.labels,
      silences: [{ id: '00000000-0000-4000-8000-00000000dead', comment: null }],
      inhibitions: [{ name: 'cluster down mutes db', sourceFingerprint: 'ffffffffffffffff' }],
    });
    expect(s!.timeIntervals).toEqual([
      { name: 'weekends', id: expect.any(String), inactive: false },
      { name: 'office-hours', id: null, inactive: true },
    ]);
    // The group's row is gone (nothing in alert_groups): no timers to show.
    expect(tick.group).toBeNull();
  });

  it('a decision that sent nothing still names its alerts: from the alert the engine stored, else unknown', async () => {
    const quiet = () => viewer().notifications.tick({ id: ticks.quiet!.tickId });
    const before = await quiet();
    expect(before.decisions[0]).toMatchObject({ notify: false, reason: 'nothing new', delivery: null });
    // No message carried it, the group is gone and no alert has it: unknown rather than made up.
    expect(before.firing).toEqual([{ fingerprint: disk.fingerprint, labels: null }]);
    const rule = await insertAlertRule(fx.database.primary, 'DiskFull');
    await fx.database.primary.insert(schema.alertInstances).values({
      source: 'rule',
      ruleId: rule.id,
      fingerprint: disk.fingerprint,
      labels: disk.labels,
      state: 'firing',
      reason: 'ForElapsed',
      activeAt: new Date(T0),
      firedAt: new Date(T0),
    });
    expect((await quiet()).firing).toEqual([disk]);
    const resolved = await viewer().notifications.tick({ id: ticks.resolved!.tickId });
    expect(resolved.resolved).toEqual([disk]);
  });

  it('a live group shows its next tick and, per integration, the exact next repeat (last tick + 4 h)', async () => {
    const db = fx.database.primary;
    const { routeId, groupKey } = ticks.resolved!;
    const lastTick = new Date(T0 + 15 * MIN);
    await db.insert(schema.alertGroups).values({
      routeId,
      groupKey,
      groupLabels: { team: 'db' },
      createdAt: new Date(T0 - MIN),
      nextFlushAt: new Date(T0 + 20 * MIN),
      lastTickAt: lastTick,
    });
    await db.insert(schema.notificationLog).values({
      routeId,
      groupKey,
      receiverId: hook.receiverId,
      integrationId: hook.integrationId,
      firing: [cpu.fingerprint],
      resolved: [disk.fingerprint],
      tickAt: lastTick,
      sequence: 3,
      expiresAt: new Date(T0 + 9 * 60 * MIN),
    });
    const tick = await viewer().notifications.tick({ id: ticks.resolved!.tickId });
    expect(tick.group).toEqual({
      nextTickAt: new Date(T0 + 20 * MIN),
      lastTickAt: lastTick,
      repeatIntervalMs: 4 * 60 * MIN,
      nextRepeat: [
        {
          integrationId: hook.integrationId,
          lastNotifiedAt: lastTick,
          nextRepeatAt: new Date(T0 + 15 * MIN + 4 * 60 * MIN),
        },
      ],
    });
  });

  it('an unknown tick is NOT_FOUND', async () => {
    const err = await viewer()
      .notifications.tick({ id: 987_654_321 })
      .catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe('NOT_FOUND');
  });
});

describe('notifications.deliveries and .delivery', () => {
  it('lists outbox rows newest first; state dead is the dead-letter list', async () => {
    const all = (await viewer().notifications.deliveries({})).items.map((d) => d.id);
    // The pager's and the resolve's rows were enqueued by the same tick: either order is newest first.
    expect(new Set(all.slice(0, 2))).toEqual(new Set([ticks.pager!.outboxId, ticks.resolved!.outboxId]));
    expect(all.slice(2)).toEqual([ticks.suppressed!.outboxId, ticks.first!.outboxId]);
    const dead = await viewer().notifications.deliveries({ state: 'dead' });
    expect(dead.items).toEqual([
      expect.objectContaining({
        id: ticks.pager!.outboxId,
        state: 'dead',
        attempts: 2,
        lastStatus: 404,
        lastError: 'HTTP 404',
        status: 'firing',
        reason: 'first notification',
        alertCount: 1,
        receiver: { id: pager.receiverId, name: 'team-db-pager' },
        integration: { id: pager.integrationId, kind: 'webhook', position: 0 },
        leased: false,
      }),
    ]);
    const delivered = await viewer().notifications.deliveries({
      state: 'delivered',
      receiverId: hook.receiverId,
    });
    expect(delivered.items.map((d) => d.id)).toEqual([ticks.first!.outboxId]);
  });

  it('one delivery: every attempt with its outcome and status, the alerts it carried, its tick', async () => {
    const d = await viewer().notifications.delivery({ id: ticks.first!.outboxId! });
    expect(d.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'retryable', status: 503, error: 'HTTP 503' }),
      expect.objectContaining({ attempt: 2, outcome: 'delivered', status: 200, error: null }),
    ]);
    expect(d.alerts).toEqual([{ ...disk, status: 'firing' }]);
    expect(d.tickId).toBe(ticks.first!.tickId);
    expect(d.state).toBe('delivered');
    expect(JSON.stringify(d)).not.toContain('payload');
  });
});

describe('notifications.forAlert', () => {
  it('where one alert went: every tick that looked at it, how it stood there and what came of each message', async () => {
    const rows = await viewer().notifications.forAlert({ fingerprint: disk.fingerprint });
    expect(rows.map((r) => [r.id, r.status, r.decisions[0]?.delivery?.state ?? null])).toEqual([
      [ticks.resolved!.tickId, 'resolved', 'pending'],
      [ticks.suppressed!.tickId, 'firing', 'superseded'],
      [ticks.quiet!.tickId, 'firing', null],
      [ticks.first!.tickId, 'firing', 'delivered'],
    ]);
    const quiet = await viewer().notifications.forAlert({ fingerprint: noisy.fingerprint });
    expect(quiet.map((r) => r.status)).toEqual(['suppressed']);
  });
});
