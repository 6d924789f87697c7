import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendNotification } from '../../src/notify';
import { alert, collector, json, message, outbound, sendLoopback, target } from './fixtures';

const MiB = 1024 * 1024;
let remote: Awaited<ReturnType<typeof collector>>;
beforeAll(async () => {
  remote = await collector();
});
afterAll(async () => {
  await remote.close();
});

const webhook = (path: string, over: { maxAlerts?: number; timeoutMs?: number } = {}, secrets = {}) =>
  target(
    {
      kind: 'webhook',
      url: `${remote.base}${path}`,
      maxAlerts: over.maxAlerts ?? 0,
      timeoutMs: over.timeoutMs ?? 2_000,
    },
    secrets,
  );

describe('webhook: Alertmanager v4 body plus ours', () => {
  it('posts the message field for field with the idempotency key and sequence headers', async () => {
    remote.answer((_r, res) => res.end());
    const before = remote.received.length;
    const msg = message({ sequence: 7 });
    const outcome = await sendLoopback()(webhook('/hook'), msg, { timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ class: 'success', status: 200, retryAfterMs: null, error: null });
    const [got] = remote.received.slice(before);
    expect(got).toMatchObject({ method: 'POST', url: '/hook' });
    expect(json(got!)).toEqual(msg);
    expect(Object.keys(json(got!))).toEqual(
      expect.arrayContaining([
        'version',
        'groupKey',
        'truncatedAlerts',
        'status',
        'receiver',
        'groupLabels',
        'commonLabels',
        'commonAnnotations',
        'externalURL',
        'notification_reason',
        'alerts',
        'idempotencyKey',
        'tickTime',
        'sequence',
      ]),
    );
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': msg.idempotencyKey,
      'x-sextant-sequence': '7',
    });
    expect(got!.headers.authorization).toBeUndefined();
    expect(got!.headers['x-sextant-signature']).toBeUndefined();
  });

  it('cuts to maxAlerts and counts the rest in truncatedAlerts', async () => {
    const before = remote.received.length;
    const alerts = [1, 2, 3, 4, 5].map((n) =>
      alert({ fingerprint: `f${n}`, labels: { alertname: 'A', n: `${n}` } }),
    );
    await sendLoopback()(webhook('/hook', { maxAlerts: 2 }), message({ alerts, truncatedAlerts: 1 }), {
      timeoutMs: 2_000,
    });
    const body = json(remote.received[before]!);
    expect((body.alerts as unknown[]).length).toBe(2);
    expect(body.truncatedAlerts).toBe(4);
  });

  it('signs with HMAC-SHA256 over "timestamp.body" and sends a bearer token', async () => {
    const before = remote.received.length;
    await sendLoopback()(webhook('/hook', {}, { hmacSecret: 's3cret', bearerToken: 'tok' }), message(), {
      timeoutMs: 2_000,
    });
    const got = remote.received[before]!;
    const timestamp = got.headers['x-sextant-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = createHmac('sha256', 's3cret').update(`${timestamp}.${got.body}`).digest('hex');
    expect(got.headers['x-sextant-signature']).toBe(`sha256=${expected}`);
    expect(got.headers.authorization).toBe('Bearer tok');
  });

  it('sends URL credentials from the secrets as Basic auth, never in the request line', async () => {
    const before = remote.received.length;
    const t = webhook('/hook');
    t.secrets.url = `http://user:p%40ss@127.0.0.1:${remote.port}/hook?token=abc`;
    await sendLoopback()(t, message(), { timeoutMs: 2_000 });
    const got = remote.received[before]!;
    expect(got.url).toBe('/hook?token=abc');
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });
});

describe('webhook: outcomes', () => {
  const answer = (status: number, headers: Record<string, string> = {}) =>
    remote.answer((_r, res) => {
      res.writeHead(status, headers);
      res.end('some body that is never repeated');
    });

  it.each([
    [500, 'retryable'],
    [503, 'retryable'],
    [408, 'retryable'],
    [425, 'retryable'],
    [400, 'permanent'],
    [401, 'permanent'],
    [404, 'permanent'],
    [204, 'success'],
  ] as const)('%i is %s', async (status, expected) => {
    answer(status);
    const outcome = await sendLoopback()(webhook('/x'), message(), { timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ class: expected, status });
    expect(outcome.error ?? '').not.toContain('never repeated');
  });

  it('429 with Retry-After 20 is retryable after 20 000 ms', async () => {
    answer(429, { 'retry-after': '20' });
    expect(await sendLoopback()(webhook('/x'), message(), { timeoutMs: 2_000 })).toMatchObject({
      class: 'retryable',
      status: 429,
      retryAfterMs: 20_000,
    });
  });

  it('does not follow a redirect: permanent, one request', async () => {
    const before = remote.received.length;
    answer(302, { location: '/elsewhere' });
    const outcome = await sendLoopback()(webhook('/x'), message(), { timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ class: 'permanent', status: 302 });
    expect(outcome.error).toMatch(/redirect.*not followed/);
    expect(remote.received.length - before).toBe(1);
  });

  it('refuses a URL on the deny list before any connection', async () => {
    let connections = 0;
    const count = () => connections++;
    remote.server.on('connection', count);
    try {
      const send = createSendNotification(outbound()); // built-in rules only: loopback denied
      const outcome = await send(webhook('/x'), message(), { timeoutMs: 2_000 });
      expect(outcome).toMatchObject({ class: 'permanent', status: null });
      expect(outcome.error).toMatch(/127\.0\.0\.1 is in 127\.0\.0\.0\/8/);
      expect(connections).toBe(0);
    } finally {
      remote.server.off('connection', count);
    }
  });

  it('a refused connection is retryable', async () => {
    const closed = await collector();
    await closed.close();
    const t = target({ kind: 'webhook', url: `${closed.base}/x`, maxAlerts: 0, timeoutMs: 2_000 });
    expect(await sendLoopback()(t, message(), { timeoutMs: 2_000 })).toMatchObject({
      class: 'retryable',
      status: null,
      error: 'connection refused',
    });
  });

  /** Streams 50 MB (or until we hang up); `closedAt` is how much was written when the connection closed. */
  function fiftyMegabytes() {
    const state = { written: 0, closedAt: -1 };
    remote.answer((_r, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      res.on('close', () => {
        state.closedAt = state.written;
      });
      const pump = () => {
        while (state.written < 50 * MiB && !res.destroyed) {
          state.written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    return state;
  }

  const slack = () => target({ kind: 'slack', timeoutMs: 5_000 }, { url: `${remote.base}/services/T/B/x` });

  it('cuts a 50 MB answer at the 64 KB cap (Slack reads the body) and returns', async () => {
    const state = fiftyMegabytes();
    const outcome = await sendLoopback()(slack(), message(), { timeoutMs: 5_000 });
    // 200 but not "ok": not Slack's answer.
    expect(outcome).toMatchObject({ class: 'permanent', status: 200 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.closedAt).toBeGreaterThan(0); // the connection was closed by us…
    expect(state.closedAt).toBeLessThan(50 * MiB); // …long before the remote got its 50 MB out
  });

  it('does not read a webhook answer body at all: the status decides', async () => {
    const state = fiftyMegabytes();
    const outcome = await sendLoopback()(webhook('/big', { timeoutMs: 5_000 }), message(), {
      timeoutMs: 5_000,
    });
    expect(outcome).toMatchObject({ class: 'success', status: 200 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.closedAt).toBeLessThan(50 * MiB);
  });

  it('gives up on a remote that never answers at the deadline', async () => {
    remote.answer(() => {}); // headers never come
    const started = performance.now();
    const outcome = await sendLoopback()(webhook('/hang'), message(), { timeoutMs: 300 });
    expect(outcome).toMatchObject({ class: 'retryable', status: null, error: 'timed out after 300 ms' });
    expect(performance.now() - started).toBeLessThan(300 + 5_000);
  });

  it('gives up on a body that never ends at the deadline, keeping the status', async () => {
    remote.answer((_r, res) => {
      res.writeHead(200);
      res.write('o'); // never ends
    });
    const outcome = await sendLoopback()(slack(), message(), { timeoutMs: 300 });
    expect(outcome).toMatchObject({ class: 'retryable', status: 200, error: 'timed out after 300 ms' });
  });
});
