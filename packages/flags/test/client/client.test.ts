import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient, type FlagSnapshot } from '../../src/client';
import { createSseParser, type SseEvent } from '../../src/client/sse';
import { flag } from '../fixtures';

const KEY = 'sx_test_key';

/** A stand-in Sextant API: serves one environment's snapshot, 304s and an SSE stream, and records what it saw. */
function fakeApi() {
  let snapshot: FlagSnapshot = make(1, true);
  const streams = new Set<ServerResponse>();
  const seen: { path: string; ifNoneMatch?: string; auth?: string; status: number }[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (!w.test()) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const send = (res: ServerResponse) => res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const entry = {
      path: url.pathname,
      ifNoneMatch: req.headers['if-none-match'],
      auth: req.headers.authorization,
      status: 200,
    };
    seen.push(entry);
    if (req.headers.authorization !== `Bearer ${KEY}`) {
      entry.status = 401;
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"code":"UNAUTHORIZED","message":"bad key"}');
    } else if (url.searchParams.get('environment') !== 'UAT') {
      entry.status = 404;
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"code":"ENVIRONMENT_NOT_FOUND","message":"no"}');
    } else if (url.pathname === '/v1/flags/snapshot') {
      if (req.headers['if-none-match'] === `"${snapshot.etag}"`) {
        entry.status = 304;
        res.writeHead(304).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', etag: `"${snapshot.etag}"` });
        res.end(JSON.stringify(snapshot));
      }
    } else if (url.pathname === '/v1/flags/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
      send(res);
      streams.add(res);
      res.on('close', () => {
        streams.delete(res);
        check();
      });
    } else {
      entry.status = 404;
      res.writeHead(404).end();
    }
    check();
  };
  const server: Server = createServer(handle);
  return {
    server,
    seen,
    streams,
    set(next: FlagSnapshot) {
      snapshot = next;
      for (const res of streams) send(res);
    },
    /** Ends every open stream from the server side, as a restart would. */
    drop() {
      for (const res of streams) res.socket?.destroy();
    },
    until(test: () => boolean) {
      return new Promise<void>((resolve) => {
        waiters.push({ test, resolve });
        check();
      });
    },
  };
}

function make(version: number, enabled: boolean): FlagSnapshot {
  return {
    environment: 'UAT',
    etag: `v${version}`,
    generatedAt: new Date(0).toISOString(),
    flags: {
      'checkout.new': flag({ enabled, version }),
      banner: flag({
        key: 'banner',
        type: 'string',
        variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue' } }],
      }),
    },
  };
}

const nextChange = (client: FlagClient) =>
  new Promise<FlagSnapshot>((resolve) => {
    const off = client.onChange((s) => {
      off();
      resolve(s);
    });
  });

describe('the in-process flag client (@sextant/flags, requirement 10)', () => {
  const api = fakeApi();
  let baseUrl = '';
  const clients: FlagClient[] = [];
  const client = (over: Partial<Parameters<typeof createFlagClient>[0]> = {}) => {
    const c = createFlagClient({
      baseUrl,
      apiKey: KEY,
      environment: 'UAT',
      mode: 'stream',
      reconnectDelayMs: { initial: 1, max: 5 },
      pollIntervalMs: 5,
      ...over,
    });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    api.set(make(1, true));
  });
  afterAll(async () => {
    api.drop();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
  });

  it('answers PROVIDER_NOT_READY with the default before the first snapshot, then evaluates in process', async () => {
    const c = client({ mode: 'poll' });
    expect(c.getBooleanDetails('checkout.new', false)).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: 'PROVIDER_NOT_READY',
    });
    await c.ready();
    expect(c.getBooleanDetails('checkout.new', false)).toMatchObject({ value: true, reason: 'DEFAULT' });
    expect(c.getStringDetails('banner', 'red')).toMatchObject({ value: 'blue', variant: 'blue' });
    expect(c.getBooleanDetails('banner', false)).toMatchObject({ value: false, errorCode: 'TYPE_MISMATCH' });
    expect(c.getNumberValue('__proto__', 7)).toBe(7);
    expect(c.getObjectDetails('nope', { a: 1 })).toMatchObject({
      value: { a: 1 },
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(api.seen.at(-1)?.auth).toBe(`Bearer ${KEY}`);
  });

  it('poll mode: sends If-None-Match, takes 304s, and sees a change on a later poll', async () => {
    const c = client({ mode: 'poll' });
    await c.ready();
    await api.until(() => api.seen.some((s) => s.status === 304 && s.ifNoneMatch === '"v1"'));
    expect(c.snapshot()?.etag).toBe('v1');
    const changed = nextChange(c);
    api.set(make(2, false));
    expect((await changed).etag).toBe('v2');
    expect(c.getBooleanDetails('checkout.new', true)).toMatchObject({ value: true, reason: 'DISABLED' });
    expect(c.getBooleanValue('checkout.new', false)).toBe(false);
  });

  it('stream mode: the first event makes it ready, a change arrives over the stream', async () => {
    const c = client();
    await c.ready();
    expect(c.getBooleanValue('checkout.new', false)).toBe(true);
    const polls = api.seen.filter((s) => s.path === '/v1/flags/snapshot').length;
    const changed = nextChange(c);
    api.set(make(3, false));
    expect((await changed).etag).toBe('v3');
    expect(c.getBooleanDetails('checkout.new', false).reason).toBe('DISABLED');
    // Pushed, not polled.
    expect(api.seen.filter((s) => s.path === '/v1/flags/snapshot').length).toBe(polls);
  });

  it('stream mode: reconnects after the server drops the stream, keeping the last snapshot meanwhile', async () => {
    const errors: string[] = [];
    const c = client({ onError: (e) => errors.push(e.message) });
    await c.ready();
    const opened = api.seen.filter((s) => s.path === '/v1/flags/stream').length;
    api.drop();
    // Until it is back, evaluations answer from the last snapshot with the evaluator's own reason.
    expect(c.getBooleanDetails('checkout.new', false)).toMatchObject({ value: true, reason: 'DEFAULT' });
    await api.until(
      () => api.streams.size > 0 && api.seen.filter((s) => s.path === '/v1/flags/stream').length > opened,
    );
    const changed = nextChange(c);
    api.set(make(4, false));
    expect((await changed).etag).toBe('v4');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('close() stops streaming and polling; ready() rejects when closed first; a bad key is fatal', async () => {
    const c = client();
    await c.ready();
    c.close();
    await api.until(() => api.streams.size === 0);
    const changed = { seen: false };
    c.onChange(() => {
      changed.seen = true;
    });
    api.set(make(5, false));
    expect(c.snapshot()?.etag).toBe('v1');
    expect(changed.seen).toBe(false);

    const early = client({ baseUrl: 'http://127.0.0.1:9/' });
    early.close();
    await expect(early.ready()).rejects.toThrow(/closed/);

    const errors: number[] = [];
    const bad = client({ apiKey: 'wrong', mode: 'poll', onError: (e) => errors.push(e.status ?? 0) });
    await expect(bad.ready()).rejects.toMatchObject({ status: 401, fatal: true });
    expect(errors).toEqual([401]);
    const unknown = client({ environment: 'nowhere' });
    await expect(unknown.ready()).rejects.toMatchObject({ status: 404, fatal: true });
  });
});

describe('the SSE parser', () => {
  it('joins data lines, handles CRLF split across chunks, skips comments and keeps the last id', () => {
    const events: SseEvent[] = [];
    const p = createSseParser((e) => events.push(e));
    p.push(': heartbeat\r\n\r\nevent: snapshot\r');
    p.push('\nid: 7\ndata: {"a":\ndata: 1}\n\ndata: plain\n');
    expect(events).toEqual([{ event: 'snapshot', data: '{"a":\n1}', id: '7' }]);
    p.push('\n');
    expect(events[1]).toEqual({ event: 'message', data: 'plain', id: '7' });
  });
});
