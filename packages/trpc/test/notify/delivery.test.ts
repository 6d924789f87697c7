import { describe, expect, it } from 'vitest';
import { classifySmtp } from '../../src/services/notify/classify';
import { claimDeliveries } from '../../src/services/notify/outbox';
import {
  at,
  attemptsOf,
  collector,
  deliveryDatabase,
  enqueue,
  fail,
  outboxRow,
  policy,
  run,
  secondsOf,
  webhooks,
} from './delivery-fixture';

const t = deliveryDatabase();
const { clock, now } = t;

describe('spec B23: independent integrations, no head-of-line blocking (fake clock, 100 ms steps)', () => {
  it('webhook 1 is delivered on its own schedule while webhook 2 fails until 4.5 s, then gets exactly one copy', async () => {
    const sql = t.f.database.sql;
    const [wh1, wh2] = await webhooks(sql, ['http://wh1.test/hook', 'http://wh2.test/hook']);
    const { calls, send } = collector(now, (url, t) => (url.includes('wh2') && t < at(4.5) ? fail(500) : {}));
    // The flush enqueues the first tick at 2 s for both, and webhook 1's repeat at 5 s (gi=2 s, ri=3 s).
    await enqueue(sql, { integrationId: wh1!, group: 'g', tickMs: at(2) });
    const second = await enqueue(sql, { integrationId: wh2!, group: 'g', tickMs: at(2) });
    await run(sql, clock, send, 2, 4.9);
    await enqueue(sql, { integrationId: wh1!, group: 'g', tickMs: at(5), sequence: 2 });
    await run(sql, clock, send, 5, 12);

    const wh1Calls = calls.filter((c) => c.url.includes('wh1'));
    expect(wh1Calls.map((c) => secondsOf(c.at))).toEqual([2, 5]);
    const wh2Calls = calls.filter((c) => c.url.includes('wh2'));
    expect(wh2Calls.filter((c) => c.at >= at(4.5))).toHaveLength(1);
    expect(wh2Calls.length).toBeGreaterThan(1);
    expect(new Set(wh2Calls.map((c) => c.key)).size).toBe(1);
    expect((await outboxRow(sql, second)).state).toBe('delivered');
  });

  it('a slow endpoint takes at most half the slots: another endpoint’s row is claimed beside it', async () => {
    const sql = t.f.database.sql;
    const [slow, fast] = await webhooks(sql, ['http://slow.test/hook', 'http://fast.test/hook']);
    for (const g of ['a', 'b', 'c', 'd', 'e', 'f'])
      await enqueue(sql, { integrationId: slow!, group: g, tickMs: at(1) });
    await enqueue(sql, { integrationId: fast!, group: 'a', tickMs: at(1.5) });
    const p = policy({ perEndpoint: 2 });
    const first = await claimDeliveries(sql, 'one', 4, at(2), p);
    expect(first.filter((c) => c.endpoint === 'http://slow.test')).toHaveLength(2);
    expect(first.filter((c) => c.endpoint === 'http://fast.test')).toHaveLength(1);
    await enqueue(sql, { integrationId: fast!, group: 'b', tickMs: at(2.5) });
    // The slow endpoint's sends never return within this test: this instance still has both in flight there.
    const sending = new Map([
      ['http://slow.test', 2],
      ['http://fast.test', 1],
    ]);
    const second = await claimDeliveries(sql, 'one', 4, at(3), p, sending);
    expect(second.map((c) => c.endpoint)).toEqual(['http://fast.test']);
    // The cap guards an instance's own slots: another instance has its own share of the slow endpoint.
    const other = await claimDeliveries(sql, 'two', 4, at(3), p);
    expect(other.map((c) => c.endpoint)).toEqual(['http://slow.test', 'http://slow.test']);
    expect(other.filter((c) => first.some((f) => f.id === c.id))).toEqual([]);
  });
});

describe('spec B24: classification (fake clock)', () => {
  it('500 is retried with a growing delay; the key stays the same', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b24-500.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'g', tickMs: at(0) });
    const { calls, send } = collector(now, (_u, t) => (t < at(6) ? fail(500) : {}));
    await run(sql, clock, send, 0, 12);
    const times = calls.map((c) => secondsOf(c.at));
    // Half the ceiling each time (jitter fixed at 0.5): 0.5 s, 1 s, 2 s, 4 s.
    expect(times).toEqual([0, 0.5, 1.5, 3.5, 7.5]);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect((await outboxRow(sql, id)).state).toBe('delivered');
  });

  it('400 is tried once and dead-lettered, visible with its status', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b24-400.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'g', tickMs: at(0) });
    const { calls, send } = collector(now, () => fail(400));
    await run(sql, clock, send, 0, 5);
    expect(calls).toHaveLength(1);
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 400 });
    expect((await attemptsOf(sql, id)).map((a) => a.outcome)).toEqual(['permanent']);
  });

  it('429 with Retry-After 20 s: the next attempt is no earlier than 20 s later', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b24-429.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'g', tickMs: at(0) });
    const { calls, send } = collector(now, (_u, t) => (t < at(1) ? fail(429, { retryAfterMs: 20_000 }) : {}));
    await run(sql, clock, send, 0, 25, { stepMs: 250 });
    expect(calls.map((c) => secondsOf(c.at))).toEqual([0, 20]);
    expect((await attemptsOf(sql, id))[0]).toMatchObject({ status: 429, retryAfterMs: 20_000 });
  });

  it('SMTP 451 is retried, 550 is dead-lettered', async () => {
    const sql = t.f.database.sql;
    const [a, b] = await webhooks(sql, ['http://smtp-451.test/', 'http://smtp-550.test/']);
    const transient = await enqueue(sql, { integrationId: a!, group: 'g', tickMs: at(0) });
    const permanent = await enqueue(sql, { integrationId: b!, group: 'g', tickMs: at(0) });
    const smtp = (code: number) => ({
      class: classifySmtp({ responseCode: code }),
      status: code,
      error: `SMTP ${code}`,
    });
    const { calls, send } = collector(now, (url, t) =>
      url.includes('550') ? smtp(550) : t < at(1) ? smtp(451) : {},
    );
    await run(sql, clock, send, 0, 3);
    expect(await outboxRow(sql, transient)).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(await outboxRow(sql, permanent)).toMatchObject({ state: 'dead', attempts: 1, lastStatus: 550 });
    expect(calls.filter((c) => c.url.includes('550'))).toHaveLength(1);
  });
});

describe('spec B25: timeouts (fake clock; tolerance: delivered within [3 s, 4 s])', () => {
  it('attempts time out at the integration’s 500 ms and retry; delivered after the receiver recovers at 3 s', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b25.test/hook'], 500);
    const id = await enqueue(sql, { integrationId: wh!, group: 'g', tickMs: at(1) });
    const timedOut = fail(0, {
      class: 'retryable',
      status: null,
      error: 'timed out after 500 ms',
      durationMs: 500,
    });
    const { calls, send } = collector(now, (_u, t) => (t < at(3) ? timedOut : {}));
    await run(sql, clock, send, 1, 6, { policy: policy({ random: () => 0.3 }) });
    expect(calls.every((c) => c.timeoutMs === 500)).toBe(true);
    const last = calls.at(-1)!;
    expect(secondsOf(last.at)).toBeGreaterThanOrEqual(3);
    expect(secondsOf(last.at)).toBeLessThanOrEqual(4);
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'delivered' });
    expect((await attemptsOf(sql, id)).filter((a) => a.outcome === 'retryable').length).toBeGreaterThan(1);
  });
});
