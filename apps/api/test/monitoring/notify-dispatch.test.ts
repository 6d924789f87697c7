import { randomUUID } from 'node:crypto';
import type { Database } from '@sextant/db';
import { receiveAlerts, receiveExternalAlerts, type TickResult } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics';
import { notifyJobs } from '../../src/monitoring/jobs';
import { NotifyDispatchLoop } from '../../src/monitoring/notify-dispatch';
import { manualLoop, monitoringDb } from './fixtures';

let db: Database;
beforeAll(async () => {
  db = await monitoringDb();
});
afterAll(async () => {
  await db?.close();
});

/** A loop on `clock` that only claims when the test calls tick(). */
const dispatchLoop = (clock: () => number, onTick: (t: TickResult) => void) =>
  new NotifyDispatchLoop({
    ...manualLoop(db.sql, clock),
    db: db.db,
    batchSize: 200,
    publicUrl: 'https://sextant.example.com',
    onTick,
  });

describe('the notification dispatch loop and its /metrics', () => {
  it('flushes a due group on its injected clock, enqueues the message and counts the decision and the tick lag', async () => {
    const receiverId = randomUUID();
    await db.sql`insert into receivers (id, name) values (${receiverId}, 'ops')`;
    const settings = { kind: 'webhook', url: 'http://127.0.0.1:9/hook', maxAlerts: 0, timeoutMs: 5000 };
    await db.sql`
      insert into receiver_integrations (receiver_id, position, kind, settings)
      values (${receiverId}, 0, 'webhook', ${JSON.stringify(settings)}::jsonb)`;
    const tree = {
      id: 'root',
      matchers: [],
      continue: false,
      receiverId,
      groupBy: ['alertname'],
      children: [],
    };
    await db.sql`update route_tree set tree = ${JSON.stringify(tree)}::jsonb, version = version + 1`;
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const ctx = { identity: null, requestId: 'test', ip: null };
    await receiveExternalAlerts(
      db.sql,
      ctx,
      receiveAlerts([{ labels: { alertname: 'Disk' } }], t0, 300_000),
      t0,
    );

    const metrics = createMetrics({ sql: db.sql, applicationName: 'test', poolMax: 10 });
    let now = t0 + 29_999;
    const loop = dispatchLoop(
      () => now,
      (t) => metrics.observeNotifyTick(t),
    );
    expect(await loop.tick()).toBe(0);
    now = t0 + 31_000;
    expect(await loop.tick()).toBe(1);
    await loop.stop();

    const rows = await db.sql<{ tickAt: Date; payload: { externalURL: string; consoleURL: string } }[]>`
      select tick_at as "tickAt", payload from notification_outbox`;
    expect(rows.map((r) => [r.tickAt.getTime(), r.payload.externalURL])).toEqual([
      [t0 + 30_000, 'https://sextant.example.com'],
    ]);
    expect(rows[0]!.payload.consoleURL).toMatch(/^https:\/\/sextant\.example\.com\/notifications\?/);
    const text = await metrics.registry.metrics();
    expect(text).toContain('sextant_notify_decisions_total{notify="true",reason="first notification"} 1');
    // Flushed 1 s after its tick: counted in the 1 s bucket, not the 0.5 s one.
    expect(text).toContain('sextant_notify_tick_lag_seconds_bucket{le="0.5"} 0');
    expect(text).toContain('sextant_notify_tick_lag_seconds_bucket{le="1"} 1');
  });

  it('a batch one group of which cannot be flushed flushes the others one by one', async () => {
    await db.sql`delete from alert_groups`;
    const [good, broken] = [randomUUID(), randomUUID()];
    await db.sql`insert into receivers (id, name) values (${good}, 'good'), (${broken}, 'broken')`;
    const settings = JSON.stringify({
      kind: 'webhook',
      url: 'http://127.0.0.1:9/hook',
      maxAlerts: 0,
      timeoutMs: 5000,
    });
    // A secret that no longer opens (damaged, or sealed with another key): its group's flush throws.
    await db.sql`
      insert into receiver_integrations (receiver_id, position, kind, settings, secrets_enc) values
        (${good}, 0, 'webhook', ${settings}::jsonb, null), (${broken}, 0, 'webhook', ${settings}::jsonb, 'v1:garbage')`;
    const route = (
      id: string,
      receiverId: string,
      matchers: { label: string; op: '='; value: string }[],
    ) => ({
      id,
      matchers,
      continue: false,
      receiverId,
      groupBy: ['alertname'],
      children: [],
    });
    const tree = {
      ...route('root', good, []),
      children: [route('broken', broken, [{ label: 'alertname', op: '=', value: 'Broken' }])],
    };
    await db.sql`update route_tree set tree = ${JSON.stringify(tree)}::jsonb, version = version + 1`;
    const t1 = Math.floor(Date.now() / 60_000) * 60_000 - 1_800_000;
    const ctx = { identity: null, requestId: 'test', ip: null };
    const alerts = [{ labels: { alertname: 'Broken' } }, { labels: { alertname: 'Fine' } }];
    await receiveExternalAlerts(db.sql, ctx, receiveAlerts(alerts, t1, 300_000), t1);

    const ticks: string[] = [];
    const loop = dispatchLoop(
      () => t1 + 31_000,
      (t) => ticks.push(t.groupKey),
    );
    await loop.tick();
    await loop.stop();
    const rows = await db.sql<{ groupKey: string }[]>`
      select group_key as "groupKey" from notification_outbox where tick_at = ${new Date(t1 + 30_000)}`;
    expect([ticks, rows.map((r) => r.groupKey)]).toEqual([
      ['{}:{alertname="Fine"}'],
      ['{}:{alertname="Fine"}'],
    ]);
  });

  it('woken when a group falls due between polls: its first tick goes out on time, not a poll late', async () => {
    await db.sql`delete from alert_groups`;
    const now = Date.now();
    const ctx = { identity: null, requestId: 'test', ip: null };
    // group_wait is 30 s: the group is due 30 s after its alert started, i.e. 400 ms from now.
    const startsAt = now - 30_000 + 400;
    await receiveExternalAlerts(
      db.sql,
      ctx,
      receiveAlerts([{ labels: { alertname: 'Wake' } }], startsAt, 300_000),
      startsAt,
    );
    const flushed: number[] = [];
    const loop = new NotifyDispatchLoop({
      ...manualLoop(db.sql, Date.now),
      wakeOnNextDue: true,
      db: db.db,
      batchSize: 200,
      publicUrl: 'https://sextant.example.com',
      onTick: (t) => t.groupKey.includes('Wake') && flushed.push(Date.now() - t.tickAt),
    });
    // One look (the poll is 1,000 s away): nothing is due yet, so it wakes itself for the group's tick.
    expect(await loop.tick()).toBe(0);
    await expect.poll(() => flushed.length, { timeout: 10_000 }).toBe(1);
    await loop.stop();
    expect(flushed[0]).toBeGreaterThanOrEqual(0);
  });

  it('prunes tick records older than the retention and log entries past their expiry', async () => {
    const integration = await db.sql<{ id: string; receiverId: string }[]>`
      select id, receiver_id as "receiverId" from receiver_integrations limit 1`;
    const { id, receiverId } = integration[0]!;
    await db.sql`
      insert into notification_ticks (route_id, group_key, group_labels, tick_at, firing, resolved, fingerprints) values
        ('root', 'old', '{}', now() - interval '8 days', '[]', '[]', '{}'),
        ('root', 'new', '{}', now() - interval '6 days', '[]', '[]', '{}')`;
    await db.sql`
      insert into notification_log (route_id, group_key, receiver_id, integration_id, firing, resolved, tick_at,
        sequence, expires_at) values
        ('root', 'expired', ${receiverId}, ${id}, '[]', '[]', now(), 1, now() - interval '1 minute'),
        ('root', 'live', ${receiverId}, ${id}, '[]', '[]', now(), 1, now() + interval '1 hour')`;
    await notifyJobs({ historyDays: 7 })[0]!.run(db.sql);
    const ticks = await db.sql<{ k: string }[]>`
      select group_key as k from notification_ticks where group_key in ('old', 'new')`;
    const log = await db.sql<{ k: string }[]>`
      select group_key as k from notification_log where group_key in ('expired', 'live')`;
    expect([ticks.map((r) => r.k), log.map((r) => r.k)]).toEqual([['new'], ['live']]);
  });
});
