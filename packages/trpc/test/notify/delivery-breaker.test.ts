import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors';
import { deliverDue } from '../../src/services/notify/deliver';
import type { SendOutcome } from '../../src/services/notify/message';
import {
  claimDeliveries,
  completeDeliveries,
  completeDelivery,
  retryDelivery,
} from '../../src/services/notify/outbox';
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
const ok = { class: 'success' as const, status: 200, retryAfterMs: null, error: null, durationMs: 1 };

const breaker = async (endpoint: string) =>
  (
    await t.f.database.sql<{ state: string; openWindowMs: number }[]>`
      select state, open_window_ms as "openWindowMs" from endpoint_breakers where endpoint = ${endpoint}`
  )[0]!;

describe('spec B26: a circuit breaker per endpoint, shared through Postgres (fake clock, 250 ms steps)', () => {
  it('opens after 5 failures, sends nothing for 30 s, one probe, then drains the queue in order; nothing fails', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b26.test/hook']);
    const first = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const { calls, send } = collector(now, (_u, t) => (t < at(30) ? fail(500) : {}));
    // Failures at 0, 0.5, 1.5, 3.5 and 7.5 s (backoff at half its ceiling): the fifth opens the breaker until 37.5 s.
    await run(sql, clock, send, 0, 9.75, { stepMs: 250 });
    expect(calls.map((c) => secondsOf(c.at))).toEqual([0, 0.5, 1.5, 3.5, 7.5]);
    expect((await breaker('http://b26.test')).state).toBe('open');
    const queued = [];
    for (const [i, g] of ['b', 'c', 'd'].entries())
      queued.push(await enqueue(sql, { integrationId: wh!, group: g, tickMs: at(10 + i) }));
    await run(sql, clock, send, 10, 45, { stepMs: 250 });

    const after = calls.slice(5);
    expect(after.filter((c) => c.at < at(37.5))).toEqual([]);
    // One probe (the oldest row) at 37.5 s; its success closes the breaker and the rest go in the order queued.
    expect(after.map((c) => [secondsOf(c.at), c.group])).toEqual([
      [37.5, 'a'],
      [37.75, 'b'],
      [37.75, 'c'],
      [37.75, 'd'],
    ]);
    expect((await breaker('http://b26.test')).state).toBe('closed');
    for (const id of [first, ...queued]) expect((await outboxRow(sql, id)).state).toBe('delivered');
    expect((await attemptsOf(sql, queued[0]!)).map((a) => a.outcome)).toEqual([
      'breaker_open',
      'breaker_open',
      'delivered',
    ]);
  });

  it('a failed probe opens the breaker again for twice as long (60 s)', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b26-again.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const { calls, send } = collector(now, (_u, t) => (t < at(60) ? fail(503) : {}));
    await run(sql, clock, send, 0, 100, { stepMs: 250 });
    expect(calls.map((c) => secondsOf(c.at))).toEqual([0, 0.5, 1.5, 3.5, 7.5, 37.5, 97.5]);
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'delivered', attempts: 7 });
    expect(await breaker('http://b26-again.test')).toEqual({ state: 'closed', openWindowMs: 30_000 });
  });

  it('two instances at the half-open time: exactly one takes the probe', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://b26-probe.test/hook']);
    await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const { send } = collector(now, () => fail(500));
    await run(sql, clock, send, 0, 8, { stepMs: 250 });
    await enqueue(sql, { integrationId: wh!, group: 'b', tickMs: at(9) });
    const [one, two] = await Promise.all([
      claimDeliveries(sql, 'one', 10, at(40), policy()),
      claimDeliveries(sql, 'two', 10, at(40), policy()),
    ]);
    const claimed = [...one, ...two];
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.probe).toBe(true);
    expect((await breaker('http://b26-probe.test')).state).toBe('half_open');
  });
});

describe('rate limit per endpoint (token bucket in endpoint_breakers)', () => {
  it('60 a minute with a burst of 10: the rest are spread one a second, none failed', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://rate.test/hook']);
    for (let g = 0; g < 15; g++) await enqueue(sql, { integrationId: wh!, group: `g${g}`, tickMs: at(0) });
    const { calls, send } = collector(now, () => ({}));
    await run(sql, clock, send, 0, 6, {
      policy: policy({ rate: { perMinute: 60, burst: 10 }, perEndpoint: 100 }),
    });
    expect(calls.map((c) => secondsOf(c.at))).toEqual([...Array(10).fill(0), 1, 2, 3, 4, 5]);
  });
});

describe('leases, supersession, max age and "retry now"', () => {
  it('a worker whose lease was taken over writes nothing; the new holder completes', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://fence.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const [stale] = await claimDeliveries(sql, 'one', 1, at(0), policy());
    // The lease is 2 x the 10 s timeout: at 21 s another instance takes the row over.
    const [fresh] = await claimDeliveries(sql, 'two', 1, at(21), policy());
    expect(fresh!.id).toBe(id);
    expect((await completeDelivery(sql, stale!, ok, at(22), policy())).result).toBe('fenced');
    expect(await attemptsOf(sql, id)).toEqual([]);
    expect((await completeDelivery(sql, fresh!, ok, at(22), policy())).result).toBe('delivered');
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('one row in flight per group and integration; a failing row a newer one waits behind stops as superseded', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://supersede.test/hook']);
    const old = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const [held] = await claimDeliveries(sql, 'one', 5, at(0), policy());
    const newer = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(1), sequence: 2 });
    expect(await claimDeliveries(sql, 'two', 5, at(1), policy())).toEqual([]);
    expect((await completeDelivery(sql, held!, { ...ok, ...fail(500) }, at(2), policy())).result).toBe(
      'superseded',
    );
    expect((await outboxRow(sql, old)).state).toBe('superseded');
    expect((await claimDeliveries(sql, 'two', 5, at(2), policy())).map((c) => c.id)).toEqual([newer]);
  });

  it('a row failing past its max age is dead-lettered, never dropped', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://max-age.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const { calls, send } = collector(now, () => fail(500));
    await run(sql, clock, send, 0, 5, { policy: policy({ maxAgeMs: 3_000 }) });
    // 0, 0.5, 1.5, then the last try on the max age itself (3 s).
    expect(calls.map((c) => secondsOf(c.at))).toEqual([0, 0.5, 1.5, 3]);
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'dead', attempts: 4 });
    expect((await outboxRow(sql, id)).lastError).toMatch(/max age/);
  });

  it('"retry now" re-pends a dead row (attempts kept, audited) and it is delivered once it answers 200', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://retry-now.test/hook']);
    const id = await enqueue(sql, { integrationId: wh!, group: 'a', tickMs: at(0) });
    const answers = { status: 400 };
    const { calls, send } = collector(now, () => (answers.status === 200 ? {} : fail(answers.status)));
    await deliverDue(sql, at(0), send, { policy: policy() });
    expect((await outboxRow(sql, id)).state).toBe('dead');
    const ctx = t.f.ctx(t.f.user('maintainer'));
    await expect(retryDelivery(ctx, '00000000-0000-4000-8000-00000000dead', at(60))).rejects.toMatchObject({
      appCode: 'NOT_FOUND',
    });
    answers.status = 200;
    expect(await retryDelivery(ctx, id, at(60))).toMatchObject({ state: 'pending', attempts: 1 });
    const retried = retryDelivery(ctx, id, at(60));
    await expect(retried).rejects.toBeInstanceOf(AppError);
    await expect(retried).rejects.toMatchObject({ appCode: 'CONFLICT' });
    await deliverDue(sql, at(60), send, { policy: policy() });
    expect(calls).toHaveLength(2);
    expect(await outboxRow(sql, id)).toMatchObject({ state: 'delivered', attempts: 2 });
    const [audit] = await sql<{ action: string; actorLabel: string }[]>`
      select action, actor_label as "actorLabel" from audit_log where target_id = ${id}`;
    expect(audit).toEqual({ action: 'notification.retry', actorLabel: 'maintainer@test.local' });
  });
});

describe('completions in one batch (the delivery loop group-commits them)', () => {
  // Answers in order: five failures open the breaker, a late one leaves it open, a success closes it, then a 404.
  const answers: Partial<SendOutcome>[] = [
    fail(500),
    fail(503),
    fail(429, { retryAfterMs: 2_000 }),
    fail(500),
    fail(500),
    fail(502),
    {},
    fail(404),
  ];

  /** Enqueues one row per answer to `host` and claims them all at 0 s. */
  async function claimed(host: string) {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, [`http://${host}/hook`]);
    for (const [i] of answers.entries())
      await enqueue(sql, { integrationId: wh!, group: `g${i}`, tickMs: at(0) });
    const claims = await claimDeliveries(sql, 'w', 100, at(0), policy({ perEndpoint: 100 }));
    expect(claims).toHaveLength(answers.length);
    return claims.sort((a, b) => a.groupKey.localeCompare(b.groupKey));
  }

  const outcome = (a: Partial<SendOutcome>): SendOutcome => ({ ...ok, ...a });

  async function endState(host: string, ids: string[]) {
    const sql = t.f.database.sql;
    const [b] = await sql`
      select state, consecutive_failures, recent, open_window_ms, open_until, opened_at
      from endpoint_breakers where endpoint = ${`http://${host}`}`;
    const rows = [];
    for (const id of ids) rows.push(await outboxRow(sql, id));
    const attempts = [];
    for (const id of ids) attempts.push((await attemptsOf(sql, id)).map((a) => [a.outcome, a.status]));
    return { breaker: b, rows, attempts };
  }

  it('decides each answer exactly as completing them one by one would, fencing only the stale claim', async () => {
    const sql = t.f.database.sql;
    const one = await claimed('one-by-one.test');
    const alone = [];
    for (const [i, c] of one.entries())
      alone.push(await completeDelivery(sql, c, outcome(answers[i]!), at(1 + i), policy()));

    const batch = await claimed('batch.test');
    const stale = { ...batch[2]!, lease: 'someone-else#lease' };
    const together = await completeDeliveries(
      sql,
      [
        ...batch.map((c, i) => ({ claim: c, outcome: outcome(answers[i]!), nowMs: at(1 + i) })),
        { claim: stale, outcome: outcome({}), nowMs: at(20) },
      ],
      policy(),
    );

    expect(together.slice(0, -1)).toEqual(alone);
    expect(together.at(-1)).toEqual({ result: 'fenced', nextAttemptAtMs: null, breaker: null });
    expect(alone.map((r) => [r.result, r.breaker])).toEqual([
      ['retry', null],
      ['retry', null],
      ['retry', null],
      ['retry', null],
      ['retry', 'opened'],
      ['retry', null],
      ['delivered', 'closed'],
      ['dead', null],
    ]);
    expect(
      await endState(
        'batch.test',
        batch.map((c) => c.id),
      ),
    ).toEqual(
      await endState(
        'one-by-one.test',
        one.map((c) => c.id),
      ),
    );
  });
});

describe('completion batches written side by side (two instances answering at once)', () => {
  it('two concurrent batches of failures to one endpoint lose no count: the breaker sees all ten', async () => {
    const sql = t.f.database.sql;
    const [wh] = await webhooks(sql, ['http://side-by-side.test/hook']);
    for (let i = 0; i < 10; i++) await enqueue(sql, { integrationId: wh!, group: `s${i}`, tickMs: at(0) });
    const claims = await claimDeliveries(sql, 'w', 100, at(0), policy({ perEndpoint: 100 }));
    expect(claims).toHaveLength(10);
    const batch = (part: typeof claims) =>
      completeDeliveries(
        sql,
        part.map((claim) => ({ claim, outcome: { ...ok, ...fail(500) }, nowMs: at(1) })),
        policy(),
      );
    const results = (await Promise.all([batch(claims.slice(0, 5)), batch(claims.slice(5))])).flat();
    expect(results.map((r) => r.result)).toEqual(Array(10).fill('retry'));
    expect(results.filter((r) => r.breaker === 'opened')).toHaveLength(1);
    const [row] = await sql<{ state: string; consecutiveFailures: number }[]>`
      select state, consecutive_failures as "consecutiveFailures" from endpoint_breakers
      where endpoint = 'http://side-by-side.test'`;
    expect(row).toEqual({ state: 'open', consecutiveFailures: 10 });
  });
});
