import { createSseParser, type FlagConfigInput, rolloutBucket, type SseEvent } from '@sextant/flags';
import { FlagEvaluationCounter } from '@sextant/trpc';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlagSnapshot, FlagSnapshotSource } from '../src/routes/flags';
import { startTestApi, useTestApi } from './helpers';

/** In-memory stand-in for FlagSnapshotCache: environments by name (case-insensitive), listeners per environment. */
function memorySource() {
  const snapshots = new Map<string, FlagSnapshot>();
  const listeners = new Map<string, Set<(s: FlagSnapshot) => void>>();
  let n = 0;
  return {
    get: async (environment: string) => snapshots.get(environment.toLowerCase()),
    subscribe(environment: string, listener: (s: FlagSnapshot) => void) {
      const name = environment.toLowerCase();
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    set(environment: string, flags: Record<string, FlagConfigInput>) {
      const snapshot = { environment, etag: `e${++n}`, generatedAt: new Date().toISOString(), flags };
      snapshots.set(environment.toLowerCase(), snapshot);
      for (const listener of listeners.get(environment.toLowerCase()) ?? []) listener(snapshot);
      return snapshot;
    },
  } satisfies FlagSnapshotSource & Record<string, unknown>;
}

const flags = (over: Record<string, Partial<FlagConfigInput>> = {}): Record<string, FlagConfigInput> => {
  const base: Record<string, FlagConfigInput> = {
    off: { key: 'off', type: 'boolean', enabled: false, version: 3, environment: 'UAT' },
    plain: { key: 'plain', type: 'boolean', enabled: true },
    split: {
      key: 'split',
      type: 'boolean',
      enabled: true,
      strategies: [{ type: 'gradualRollout', percentage: 50, stickiness: 'default', constraints: [] }],
    },
    targeted: {
      key: 'targeted',
      type: 'boolean',
      enabled: true,
      strategies: [
        { type: 'default', constraints: [{ contextName: 'userId', operator: 'IN', values: ['alice'] }] },
      ],
    },
    color: {
      key: 'color',
      type: 'string',
      enabled: true,
      variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue' } }],
    },
    broken: { key: 'broken', type: 'number', enabled: true, variants: 'nope' } as unknown as FlagConfigInput,
  };
  for (const [key, value] of Object.entries(over)) base[key] = { ...base[key]!, ...value } as FlagConfigInput;
  return base;
};

type Answer = Record<string, unknown> & { flags?: Record<string, unknown>[] };

/** Reads SSE events from a fetch response as they arrive. */
function events(res: Response) {
  const queue: SseEvent[] = [];
  const waiting: ((e: SseEvent | null) => void)[] = [];
  const parser = createSseParser((e) => (waiting.length ? waiting.shift()!(e) : queue.push(e)));
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  let finished = false;
  const done = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    for (const w of waiting.splice(0)) w(null);
  })();
  return {
    next: () =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : finished
          ? Promise.resolve(null)
          : new Promise<SseEvent | null>((r) => waiting.push(r)),
    ended: done,
  };
}

describe('flag edges over HTTP: OFREP, snapshot, stream (issue 18, requirements 10-11)', () => {
  const source = memorySource();
  source.set('UAT', flags());
  const counter = new FlagEvaluationCounter();
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' }, { flags: { source, counter } });
  let key = '';
  beforeAll(async () => {
    key = (await api.withKey('viewer')).key;
  });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      etag: res.headers.get('etag'),
      body: (await res.json().catch(() => null)) as Answer,
    };
  };
  const one = (flag: string, context: unknown = {}, env = 'UAT') =>
    post(`/ofrep/v1/evaluate/flags/${flag}?environment=${env}`, { context });

  it('requirement 10: OFREP reasons DISABLED, SPLIT, TARGETING_MATCH, DEFAULT, each with the flag’s own type', async () => {
    const off = await one('off');
    expect(off).toMatchObject({
      status: 200,
      body: { key: 'off', reason: 'DISABLED', metadata: { flagVersion: 3 } },
    });
    // Disabled: no value, so the SDK's code default stands (OFREP ADR 0006).
    expect('value' in off.body).toBe(false);
    const ids = Array.from({ length: 100 }, (_, i) => `u${i}`);
    const on = ids.find((id) => rolloutBucket('split', id) <= 50)!;
    const off2 = ids.find((id) => rolloutBucket('split', id) > 50)!;
    expect(await one('split', { targetingKey: on })).toMatchObject({
      status: 200,
      body: { key: 'split', value: true, reason: 'SPLIT' },
    });
    expect((await one('split', { targetingKey: off2 })).body).toMatchObject({
      value: false,
      reason: 'SPLIT',
    });
    expect((await one('targeted', { targetingKey: 'alice' })).body).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect((await one('targeted', { targetingKey: 'bob' })).body).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect((await one('plain')).body).toEqual({ key: 'plain', value: true, reason: 'DEFAULT', metadata: {} });
    // No expected type in OFREP: a string flag answers a string, and an SDK asking for a boolean reports TYPE_MISMATCH.
    const color = await one('color');
    expect(color).toMatchObject({
      status: 200,
      body: { key: 'color', value: 'blue', variant: 'blue', reason: 'DEFAULT' },
    });
    expect(typeof color.body.value).toBe('string');
  });

  it('requirement 10: unknown flag 404 FLAG_NOT_FOUND, unreadable config 400 PARSE_ERROR, unknown environment 400, never 5xx', async () => {
    const counted = counter.size;
    for (const flag of ['nope', '__proto__', 'toString']) {
      expect(await one(flag)).toMatchObject({
        status: 404,
        body: { key: flag, errorCode: 'FLAG_NOT_FOUND' },
      });
    }
    // Made-up keys are never counted (they cannot grow the counter); a flag the snapshot holds is, errors too.
    expect(counter.size).toBe(counted);
    expect(await one('broken')).toMatchObject({
      status: 400,
      body: { key: 'broken', errorCode: 'PARSE_ERROR' },
    });
    expect(counter.size).toBe(counted + 1);
    expect(await one('plain', {}, 'Atlantis')).toMatchObject({
      status: 400,
      body: { key: 'plain', errorCode: 'GENERAL', errorDetails: 'Unknown environment "Atlantis".' },
    });
    const noEnv = await post('/ofrep/v1/evaluate/flags/plain', {});
    expect(noEnv).toMatchObject({ status: 400, body: { key: 'plain', errorCode: 'GENERAL' } });
    expect((await one('plain', {}, 'uat')).status).toBe(200);
    expect(await post('/ofrep/v1/evaluate/flags/plain?environment=UAT', '{"context":')).toMatchObject({
      status: 400,
      body: { key: 'plain', errorCode: 'PARSE_ERROR' },
    });
    expect(await one('plain', [1, 2])).toMatchObject({ status: 400, body: { errorCode: 'INVALID_CONTEXT' } });
  });

  it('bad input: a 1 MB context and a 40 KB one answer INVALID_CONTEXT (400), never 413 or 5xx', async () => {
    const huge = await one('plain', { targetingKey: 'u', blob: 'x'.repeat(1_048_576) });
    expect(huge).toMatchObject({ status: 400, body: { key: 'plain', errorCode: 'INVALID_CONTEXT' } });
    const wide = await one(
      'plain',
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, 'y'.repeat(4_000)])),
    );
    expect(wide).toMatchObject({ status: 400, body: { errorCode: 'INVALID_CONTEXT' } });
    const bulk = await post('/ofrep/v1/evaluate/flags?environment=UAT', {
      context: { blob: 'x'.repeat(1_048_576) },
    });
    expect(bulk).toMatchObject({ status: 400, body: { errorCode: 'INVALID_CONTEXT' } });
  });

  it('the API key is checked before the body: 401 for a bad JSON or oversized body without a key; X-API-Key works', async () => {
    for (const body of ['{"context":', 'x'.repeat(200_000)]) {
      const res = await post('/ofrep/v1/evaluate/flags/plain?environment=UAT', body, { authorization: '' });
      expect(res).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    }
    const bad = await post(
      '/ofrep/v1/evaluate/flags/plain?environment=UAT',
      {},
      { authorization: 'Bearer sx_nope' },
    );
    expect(bad.status).toBe(401);
    const viaHeader = await post(
      '/ofrep/v1/evaluate/flags/plain?environment=UAT',
      {},
      { authorization: '', 'x-api-key': key },
    );
    expect(viaHeader).toMatchObject({ status: 200, body: { value: true } });
    // A provider's JSON is read as JSON whatever its Content-Type says, text/plain included.
    for (const type of ['text/plain', 'application/octet-stream', 'text/plain; charset=utf-8']) {
      const typed = await post(
        '/ofrep/v1/evaluate/flags/plain?environment=UAT',
        { context: {} },
        { 'content-type': type },
      );
      expect(typed, type).toMatchObject({ status: 200, body: { value: true } });
    }
    const snap = await fetch(`${api.baseUrl}/v1/flags/snapshot?environment=UAT`);
    expect(snap.status).toBe(401);
  });

  it('requirement 10: bulk evaluation with ETag, 304 on If-None-Match, a new ETag after a change or another context', async () => {
    const first = await post('/ofrep/v1/evaluate/flags?environment=UAT', {
      context: { targetingKey: 'alice' },
    });
    expect(first.status).toBe(200);
    expect(first.body.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'targeted', value: true, reason: 'TARGETING_MATCH' }),
        expect.objectContaining({ key: 'broken', errorCode: 'PARSE_ERROR' }),
      ]),
    );
    expect(first.etag).toMatch(/^"[^"]+"$/);
    const again = await post(
      '/ofrep/v1/evaluate/flags?environment=UAT',
      { context: { targetingKey: 'alice' } },
      { 'if-none-match': first.etag! },
    );
    expect(again.status).toBe(304);
    const other = await post(
      '/ofrep/v1/evaluate/flags?environment=UAT',
      { context: { targetingKey: 'bob' } },
      { 'if-none-match': first.etag! },
    );
    expect(other.status).toBe(200);
    source.set('UAT', flags({ targeted: { enabled: false } }));
    const changed = await post(
      '/ofrep/v1/evaluate/flags?environment=UAT',
      { context: { targetingKey: 'alice' } },
      { 'if-none-match': first.etag! },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.flags).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'targeted', reason: 'DISABLED' })]),
    );
    source.set('UAT', flags());
  });

  it('requirement 10: GET /v1/flags/snapshot with a strong ETag, 304 on If-None-Match, 404 for an unknown environment', async () => {
    const get = (env: string, headers: Record<string, string> = {}) =>
      fetch(`${api.baseUrl}/v1/flags/snapshot?environment=${env}`, {
        headers: { authorization: `Bearer ${key}`, ...headers },
      });
    const res = await get('uat');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag')!;
    const body = (await res.json()) as FlagSnapshot;
    expect(etag).toBe(`"${body.etag}"`);
    expect(Object.keys(body.flags)).toContain('targeted');
    expect((await get('UAT', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('UAT', { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    source.set('UAT', flags());
    expect((await get('UAT', { 'if-none-match': etag })).status).toBe(200);
    const unknown = await get('Atlantis');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'ENVIRONMENT_NOT_FOUND' });
    expect((await get('')).status).toBe(400);
  });

  it('requirement 11: the stream sends the snapshot at once, then every change', async () => {
    const hangUp = new AbortController();
    const res = await fetch(`${api.baseUrl}/v1/flags/stream?environment=UAT`, {
      headers: { authorization: `Bearer ${key}` },
      signal: hangUp.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = events(res);
    const first = await stream.next();
    const current = await source.get('UAT');
    expect(first).toMatchObject({ event: 'snapshot', id: current!.etag });
    const next = source.set('UAT', flags({ plain: { enabled: false } }));
    const second = await stream.next();
    expect(second?.id).toBe(next.etag);
    expect((JSON.parse(second!.data) as FlagSnapshot).flags.plain).toMatchObject({ enabled: false });
    hangUp.abort();
    await stream.ended;
  });

  it('streams are bounded (503 with Retry-After over the limit) and end cleanly when the server shuts down', async () => {
    // Its own database: the file's server keeps its pool and connections to itself.
    const other = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0' }, { flags: { source, maxStreams: 2 } });
    const otherKey = (await other.withKey('viewer')).key;
    const open = () =>
      fetch(`${other.baseUrl}/v1/flags/stream?environment=UAT`, {
        headers: { authorization: `Bearer ${otherKey}` },
      });
    const streams = [events(await open()), events(await open())];
    for (const s of streams) expect((await s.next())?.event).toBe('snapshot');
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ code: 'OVERLOADED' });
    // Shutdown ends the open streams instead of waiting for them.
    await other.close();
    for (const s of streams) {
      await s.ended;
      expect(await s.next()).toBeNull();
    }
  });
});
