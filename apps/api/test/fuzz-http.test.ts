import { gzipSync } from 'node:zlib';
import { createDatabase, type Database } from '@sextant/db';
import { batchSchema, receiveAlerts } from '@sextant/trpc';
import { createFixtures, PROCEDURES } from '@sextant/trpc/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFuzzer, is4xx, type Raw } from './fuzz/http';
import { holdsUnstorableText, invalidInputs } from './fuzz/invalid-inputs';
import { installWriteLog, writeMark, writtenSince } from './fuzz/write-log';
import { startTestApi, type TestApi } from './helpers';

const SEED = 20_261_130;
const samples = <T>(arb: fc.Arbitrary<T>, n: number, offset = 0) =>
  fc.sample(arb, { seed: SEED + offset, numRuns: n });

let api: TestApi;
let database: Database;
let keys: Record<'viewer' | 'maintainer', string>;
let token: string;
let validBatch: unknown;

beforeAll(async () => {
  api = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0', API_MAX_EVENT_LOOP_DELAY_MS: '0' });
  keys = { viewer: (await api.withKey('viewer')).key, maintainer: (await api.withKey('maintainer')).key };
  database = createDatabase(api.databaseUrl, { max: 2 });
  const fixtures = await createFixtures(database);
  await installWriteLog(database.sql);
  token = (await fixtures.heartbeat()).token;
  validBatch = await PROCEDURES['metrics.push']!.input!(fixtures);
});
afterAll(async () => {
  await database?.close();
  await api?.close();
});
const { send, expectGroup } = httpFuzzer(() => ({ baseUrl: api.baseUrl, sql: database.sql }));

const ingest = (label: string, body: Buffer | string, headers: Record<string, string> = {}): Raw => ({
  label,
  method: 'POST',
  path: '/v1/metrics',
  headers: { authorization: `Bearer ${keys.maintainer}`, 'content-type': 'application/json', ...headers },
  body,
});

describe('fuzz: the plain HTTP edges answer garbage with a 4xx, never a 5xx, and write nothing', () => {
  it('POST /v1/metrics: invalid batches, as JSON and gzip', async () => {
    // Judged as the route sees them, after JSON: refused when the schema refuses them or would store unstorable text.
    const refused = invalidInputs(batchSchema, validBatch, { bigString: 2_000, seed: SEED, samples: 8 })
      .map((c) => ({
        ...c,
        json: JSON.stringify(c.input, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) ?? 'null',
      }))
      .filter((c) => {
        const parsed = batchSchema.safeParse(JSON.parse(c.json));
        return !parsed.success || holdsUnstorableText(parsed.data);
      });
    expect(refused.length).toBeGreaterThan(100);
    const requests = refused.flatMap(({ label, json }, i) => {
      const plain = ingest(label, json);
      return i % 4 === 0
        ? [plain, ingest(`${label} (gzip)`, gzipSync(json), { 'content-encoding': 'gzip' })]
        : [plain];
    });
    await expectGroup(requests, is4xx);
  });

  it('POST /v1/metrics: broken bodies, encodings, types, credentials and keys', async () => {
    const good = JSON.stringify(validBatch);
    const garbage = samples(fc.string({ unit: 'binary', maxLength: 200 }), 30).map((s, i) =>
      ingest(`text #${i}`, s),
    );
    const requests: Raw[] = [
      ...garbage,
      ingest('empty body', ''),
      ingest('truncated JSON', good.slice(0, good.length / 2)),
      ingest('NUL escape', good.replace('"route"', '"ro\\u0000ute"')),
      ingest('lone surrogate escape', good.replace('/x', '/x\\ud800')),
      ingest('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
      ingest('deep JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      ingest('__proto__', '{"__proto__":{"points":[]},"points":"x"}'),
      ingest('corrupt gzip', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }),
      ingest('truncated gzip', gzipSync(good).subarray(0, 20), { 'content-encoding': 'gzip' }),
      ingest('gzip bomb', gzipSync(Buffer.alloc(64 * 1_048_576, 32)), { 'content-encoding': 'gzip' }),
      ingest('deflate', good, { 'content-encoding': 'deflate' }),
      ingest('two encodings', gzipSync(good), { 'content-encoding': 'gzip, gzip' }),
      ingest('text/plain', good, { 'content-type': 'text/plain' }),
      ingest('form', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      ingest('no type', good, { 'content-type': '' }),
      ingest('idempotency key too long', good, { 'idempotency-key': 'k'.repeat(201) }),
      ingest('idempotency key with space', good, { 'idempotency-key': 'a b' }),
      ingest('no key', good, { authorization: '' }),
      ingest('not bearer', good, { authorization: `Basic ${keys.maintainer}` }),
      ingest('unknown key', good, { authorization: `Bearer sxt_${'A'.repeat(43)}` }),
      ingest('huge key', good, { authorization: `Bearer sxt_${'A'.repeat(8_000)}` }),
      ingest('viewer key', good, { authorization: `Bearer ${keys.viewer}` }),
      { label: 'GET', method: 'GET', path: '/v1/metrics' },
      { label: 'PUT', method: 'PUT', path: '/v1/metrics', body: good },
      { label: 'DELETE', method: 'DELETE', path: '/v1/metrics' },
      { label: 'sub path', method: 'POST', path: '/v1/metrics/x', body: good },
    ];
    await expectGroup(requests, is4xx);
  });

  it('/api/v2/alerts: invalid alerts, broken bodies, types, methods and keys', async () => {
    const post = (label: string, body: string, headers: Record<string, string> = {}): Raw => ({
      label,
      method: 'POST',
      path: '/api/v2/alerts',
      headers: { authorization: `Bearer ${keys.maintainer}`, 'content-type': 'application/json', ...headers },
      body,
    });
    const refused = (json: string) => {
      try {
        receiveAlerts(JSON.parse(json), Date.now(), 300_000);
        return false;
      } catch {
        return true;
      }
    };
    const values = samples(fc.jsonValue({ maxDepth: 3 }), 40, 7).map((v) => JSON.stringify([v]));
    const shaped = samples(
      fc.record({
        labels: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        startsAt: fc.jsonValue({ maxDepth: 0 }),
      }),
      40,
      8,
    ).map((v) => JSON.stringify([v]));
    const good = '[{"labels":{"alertname":"Fuzz"}}]';
    const requests: Raw[] = [
      ...[...values, ...shaped].filter(refused).map((json, i) => post(`alert #${i}`, json)),
      post('empty body', ''),
      post('truncated', good.slice(0, 10)),
      post('NUL label value', good.replace('Fuzz', 'Fu\\u0000zz')),
      post('lone surrogate', good.replace('Fuzz', '\\ud800')),
      post('deep JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      post('__proto__ label', '[{"labels":{"__proto__":"x"}}]'),
      post('text/plain', good, { 'content-type': 'text/plain' }),
      post('gzip', good, { 'content-encoding': 'gzip' }),
      post('no key', good, { authorization: '' }),
      post('viewer key', good, { authorization: `Bearer ${keys.viewer}` }),
      {
        label: 'GET bad filter',
        method: 'GET',
        path: '/api/v2/alerts?filter=%ZZ',
        headers: { authorization: `Bearer ${keys.viewer}` },
      },
      {
        label: 'GET bad regex',
        method: 'GET',
        path: '/api/v2/alerts?filter=a%3D~%22(%22',
        headers: { authorization: `Bearer ${keys.viewer}` },
      },
      { label: 'GET no key', method: 'GET', path: '/api/v2/alerts' },
      { label: 'PUT', method: 'PUT', path: '/api/v2/alerts', body: good },
      { label: 'DELETE', method: 'DELETE', path: '/api/v2/alerts' },
    ];
    await expectGroup(requests, is4xx);
  });

  it('/ping: unknown tokens, odd signals, methods and paths', async () => {
    const tokens = samples(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), 25, 1).map(
      encodeURIComponent,
    );
    const paths = [
      ...tokens.map((t) => `/ping/${t}`),
      `/ping/${'A'.repeat(16)}`,
      `/ping/${'A'.repeat(65)}`,
      `/ping/${'A'.repeat(5_000)}`,
      '/ping/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00',
      '/ping/%ZZ',
      '/ping/%ED%A0%80aaaaaaaaaaaaaaaa',
      '/ping/',
      '/ping',
      `/ping/${token}/unknown`,
      `/ping/${token}/256`,
      `/ping/${token}/-1`,
      `/ping/${token}/1.5`,
      `/ping/${token}/0001`,
      `/ping/${token}/%00`,
      `/ping/${token}/start/extra`,
      `/ping/${token}%00`,
      `/ping/${token}?token=${token}`.replace(token, 'x'.repeat(20)),
    ];
    const requests = paths.flatMap((path, i): Raw[] => [
      { label: `GET ${i}`, method: 'GET', path },
      {
        label: `POST ${i}`,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      },
    ]);
    requests.push(
      ...['PUT', 'DELETE', 'PATCH'].map((method) => ({ label: method, method, path: `/ping/${token}` })),
      {
        label: 'form body',
        method: 'POST',
        path: `/ping/${'B'.repeat(20)}`,
        headers: { 'content-type': 'text/plain' },
        body: 'x'.repeat(10_000),
      },
    );
    await expectGroup(requests, is4xx);
    // A real token still answers, and only pings are written.
    await expectGroup(
      ['', '/start', '/fail', '/0', '/255'].map((s) => ({
        label: `ping${s}`,
        method: 'POST',
        path: `/ping/${token}${s}`,
      })),
      (status) => status === 200,
      true,
    );
  });

  it('/trpc itself: malformed JSON, batches, methods and paths get a 4xx with a real appCode', async () => {
    const auth = { authorization: `Bearer ${keys.maintainer}` };
    const post = (label: string, path: string, body: string, type = 'application/json'): Raw => ({
      label,
      method: 'POST',
      path,
      headers: { ...auth, 'content-type': type },
      body,
    });
    const get = (label: string, path: string): Raw => ({ label, method: 'GET', path, headers: auth });
    const texts = samples(fc.string({ unit: 'binary', maxLength: 60 }), 15, 3);
    const requests: Raw[] = [
      ...texts.map((t, i) => post(`text body #${i}`, '/trpc/services.create', t)),
      ...texts.map((t, i) => get(`text input #${i}`, `/trpc/services.get?input=${encodeURIComponent(t)}`)),
      post('truncated', '/trpc/services.create', '{"json":{"name":'),
      post('deep', '/trpc/services.create', `{"json":${'['.repeat(50_000)}${']'.repeat(50_000)}}`),
      post(
        'deep meta',
        '/trpc/services.create',
        `{"json":{},"meta":{"values":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
      ),
      post(
        'unknown superjson type',
        '/trpc/services.create',
        '{"json":{"name":"a"},"meta":{"values":{"name":[["custom","x"]]}}}',
      ),
      post(
        '__proto__ path',
        '/trpc/services.create',
        '{"json":{"name":"a"},"meta":{"values":{"__proto__.x":["undefined"]}}}',
      ),
      post('bigint garbage', '/trpc/services.create', '{"json":"1e999","meta":{"values":["bigint"]}}'),
      post('batch not an object', '/trpc/services.create,services.create?batch=1', '[1,2]'),
      post(
        'batch null entry',
        '/trpc/services.create,services.create?batch=1',
        '{"0":null,"1":{"json":{"name":"a\\u0000"}}}',
      ),
      post('query by POST', '/trpc/services.get', '{"json":{"id":"x"}}'),
      get('mutation by GET', '/trpc/services.create?input=%7B%7D'),
      get('bad percent', '/trpc/services.get?input=%ZZ'),
      get('unknown procedure', '/trpc/nope.nothing'),
      get('empty procedure', '/trpc/%20'),
      get('NUL procedure', '/trpc/services.get%00'),
      get('mixed batch', '/trpc/services.get,services.create?batch=1&input=%7B%7D'),
      get('huge batch index', '/trpc/services.get?batch=1&input=%7B%2299999999%22%3A%7B%7D%7D'),
      { label: 'PUT', method: 'PUT', path: '/trpc/services.create', headers: auth, body: '{}' },
      { label: 'DELETE', method: 'DELETE', path: '/trpc/services.delete', headers: auth },
    ];
    const wrong: string[] = [];
    const mark = await writeMark(database.sql);
    for (const r of requests) {
      const { status, body } = await send(r);
      let appCode: unknown;
      try {
        const parsed = JSON.parse(body);
        appCode = (Array.isArray(parsed) ? parsed[0] : parsed)?.error?.json?.data?.appCode;
      } catch {}
      if (!is4xx(status) || typeof appCode !== 'string' || appCode.startsWith('INTERNAL')) {
        wrong.push(`${r.label}: ${status} ${String(appCode)} ${body.slice(0, 120)}`);
      }
    }
    const written = await writtenSince(database.sql, mark);
    if (written.length) wrong.push(`wrote to ${written.join(', ')}`);
    expect(wrong).toEqual([]);
  });

  it('/healthz, /readyz, /metrics and unknown paths: odd methods, queries and headers', async () => {
    const queries = samples(fc.string({ unit: 'binary', maxLength: 40 }), 10, 2).map(
      (q) => `?${encodeURIComponent(q)}=%ZZ&a[]=1&a[x]=2`,
    );
    const odd = {
      'x-request-id': `a\u00e9${'b'.repeat(300)}`,
      cookie: 'a=%; authjs.session-token=%E0%A4%A',
      accept: '*/*;q=NaN',
      'accept-encoding': 'gzip;q=2, br;q=-1',
      'content-type': 'application/json; charset=utf-9',
      authorization: 'Bearer sxt_nope',
    };
    const requests: Raw[] = [];
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      requests.push(
        ...queries.map((q, i) => ({
          label: `GET query ${i}`,
          method: 'GET',
          path: `${path}${q}`,
          headers: odd,
        })),
        { label: 'HEAD', method: 'HEAD', path },
        { label: 'OPTIONS', method: 'OPTIONS', path },
        ...['POST', 'PUT', 'DELETE', 'PATCH'].map((method) => ({
          label: method,
          method,
          path,
          body: '{"a":1}',
          headers: odd,
        })),
      );
    }
    for (const path of [
      '/',
      '/%00',
      '/..%2f..%2fetc%2fpasswd',
      '/trpc',
      '/trpc/',
      '/trpc/%ZZ',
      `/${'x'.repeat(5_000)}`,
      '/v1',
      '//healthz',
    ]) {
      requests.push({ label: `unknown ${path.slice(0, 20)}`, method: 'GET', path });
    }
    const health = (r: Raw) => ['/healthz', '/readyz', '/metrics'].includes(r.path.split('?')[0]!);
    await expectGroup(requests, (status, r) =>
      health(r) && (r.method === 'GET' || r.method === 'HEAD') ? status === 200 : is4xx(status),
    );
  });
});
