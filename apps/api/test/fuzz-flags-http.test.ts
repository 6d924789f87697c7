/**
 * Fuzz of the flag edges (issue 18), as fuzz-http.test.ts does the other plain HTTP edges: hostile bodies, keys,
 * environments and credentials never get a 5xx, every refusal is coded as the edge defines it (OFREP's
 * `{errorCode, errorDetails}` on /ofrep/, except the key refusals; `{code, message}` on /v1/flags), nothing is written.
 */
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { httpFuzzer, type Raw } from './fuzz/http';
import { installWriteLog } from './fuzz/write-log';
import { useTestApi } from './helpers';

const SEED = 20_261_202;
const ENV = 'FUZZ';
const FLAG = 'fuzz.flag';
const OFREP_CODES = ['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL', 'FLAG_NOT_FOUND'];

/** A request and the one status it must get. */
type Case = Raw & { status: number };

const json = (body: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};
const ofrepRefusal = (b: Record<string, unknown> | undefined) =>
  OFREP_CODES.includes(b?.errorCode as string) &&
  (b?.errorDetails === undefined || typeof b.errorDetails === 'string') &&
  !('code' in b!);
const codedRefusal = (b: Record<string, unknown> | undefined) =>
  typeof b?.code === 'string' && b.code !== 'INTERNAL' && typeof b.message === 'string';

/** The case's status, and a refusal in the route's shape (a key refusal is the coded one on every route). */
function answered(status: number, r: Raw, body: string): boolean {
  if (status !== (r as Case).status) return false;
  if (status < 400) return true;
  return r.path.startsWith('/ofrep/') && status !== 401 ? ofrepRefusal(json(body)) : codedRefusal(json(body));
}

const notJson = fc
  .sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), { seed: SEED, numRuns: 30 })
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });
const GOOD = '{"context":{"targetingKey":"u1"}}';
const fields = (n: number, value: string) =>
  JSON.stringify({ context: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, value])) });

/** Bodies an OFREP route refuses with a 400 (PARSE_ERROR or INVALID_CONTEXT), whatever the flag. */
const REFUSED_BODIES: [string, string | Buffer][] = [
  ...notJson.map((s, i): [string, string] => [`text #${i}`, s]),
  ['empty body', ''],
  ['truncated', '{"context":'],
  ['array', '[1,2]'],
  ['string', '"context"'],
  ['number', '42'],
  ['context array', '{"context":[]}'],
  ['context string', '{"context":"x"}'],
  ['context null', '{"context":null}'],
  ['__proto__', '{"__proto__":{"context":{}}}'],
  ['context __proto__', '{"context":{"__proto__":{"targetingKey":"x"}}}'],
  ['constructor.prototype', '{"context":{"constructor":{"prototype":{"x":1}}}}'],
  ['101 fields', fields(101, 'x')],
  ['long field name', JSON.stringify({ context: { ['k'.repeat(201)]: 'x' } })],
  ['long value', JSON.stringify({ context: { targetingKey: 'v'.repeat(4_097) } })],
  ['40,000 characters', fields(10, 'y'.repeat(4_000))],
  ['70 KB body', fields(1, 'z'.repeat(70_000))],
  ['1 MB body', fields(1, 'z'.repeat(1_048_576))],
  ['deep body', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
];

/** Odd bodies an OFREP route still evaluates (200): nothing in them is a context it must refuse. */
const ANSWERED_BODIES: [string, string | Buffer, Record<string, string>][] = [
  ['null body', 'null', {}],
  // Decoded with U+FFFD: an object without a context, evaluated as no context.
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), {}],
  ['charset utf-16', GOOD, { 'content-type': 'application/json; charset=utf-16' }],
  // OFREP providers send JSON whatever their Content-Type says.
  ['form type', GOOD, { 'content-type': 'application/x-www-form-urlencoded' }],
  // Nested values are read by no operator; one nested past the stack is evaluated (bulk: with no ETag), not a 5xx.
  ['deep context value', `{"context":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`, {}],
  ['NUL and lone surrogate values', '{"context":{"targetingKey":"a\\u0000b","x":"\\ud800"}}', {}],
];

describe('fuzz: the flag edges answer hostile input with coded 4xx refusals, never a 5xx, and write nothing', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0', API_MAX_EVENT_LOOP_DELAY_MS: '0' });
  const { expectGroup } = httpFuzzer(() => api);
  let key = '';
  beforeAll(async () => {
    const admin = await api.asUser('admin');
    await admin.client.environments.create.mutate({ name: ENV });
    const maintainer = await api.asUser('maintainer');
    await maintainer.client.flags.create.mutate({ key: FLAG, type: 'boolean' });
    await maintainer.client.flags.setEnvironment.mutate({ key: FLAG, environment: ENV, enabled: true });
    key = (await api.withKey('viewer')).key;
    await installWriteLog(api.sql);
  });

  const post = (label: string, path: string, body: string | Buffer, status: number, headers = {}): Case => ({
    label,
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body,
    status,
  });
  const get = (label: string, path: string, status: number, headers = {}): Case => ({
    label,
    method: 'GET',
    path,
    headers: { authorization: `Bearer ${key}`, ...headers },
    status,
  });
  /** Environment params the query refuses (400) or names no environment (404 on /v1/flags, 400 GENERAL on OFREP). */
  const badEnvironments: [string, string, 'invalid' | 'unknown'][] = [
    ['no environment', '', 'invalid'],
    ['empty environment', '?environment=', 'invalid'],
    ['blank environment', '?environment=%20%20%09', 'invalid'],
    ['overlong environment', `?environment=${'e'.repeat(201)}`, 'invalid'],
    ['two environments', `?environment=${ENV}&environment=${ENV}`, 'invalid'],
    ['bracket environment', `?environment[x]=${ENV}`, 'invalid'],
    ['unknown environment', '?environment=Atlantis', 'unknown'],
    ['200-character environment', `?environment=${'e'.repeat(200)}`, 'unknown'],
    ['NUL environment', '?environment=%00', 'invalid'],
    ['bad percent environment', '?environment=%ZZ', 'unknown'],
    ['emoji environment', '?environment=%F0%9F%98%80', 'unknown'],
    ['quote environment', `?environment=${encodeURIComponent(`${ENV}' or '1'='1`)}`, 'unknown'],
  ];
  const garbageKeys = (): [string, Record<string, string>][] => [
    ['no key', { authorization: '' }],
    ['not bearer', { authorization: `Basic ${key}` }],
    ['unknown key', { authorization: `Bearer sxt_${'A'.repeat(43)}` }],
    ['huge key', { authorization: `Bearer sxt_${'A'.repeat(8_000)}` }],
    ['garbage X-API-Key', { authorization: '', 'x-api-key': 'garbage' }],
    ['blank X-API-Key', { authorization: '', 'x-api-key': '   ' }],
    ...fc
      .sample(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 80 }), {
        seed: SEED + 1,
        numRuns: 8,
      })
      .map((s, i): [string, Record<string, string>] => [
        `random key #${i}`,
        { authorization: `Bearer ${s}` },
      ]),
  ];

  it('POST /ofrep/v1/evaluate/flags/{key}: bodies, content types, flag keys, environments and API keys', async () => {
    const path = (flag: string, query = `?environment=${ENV}`) => `/ofrep/v1/evaluate/flags/${flag}${query}`;
    const requests: Case[] = [
      ...REFUSED_BODIES.map(([label, body]) => post(label, path(FLAG), body, 400)),
      ...REFUSED_BODIES.filter((_, i) => i % 3 === 0).map(([label, body]) =>
        post(`${label} (text/plain)`, path(FLAG), body, 400, { 'content-type': 'text/plain' }),
      ),
      post('empty content type', path(FLAG), GOOD, 400, { 'content-type': '' }),
      post('multipart garbage', path(FLAG), '--x\r\n\r\n--x--', 400, {
        'content-type': 'multipart/form-data',
      }),
      ...ANSWERED_BODIES.map(([label, body, headers]) => post(label, path(FLAG), body, 200, headers)),
      ...[
        'nope',
        'x'.repeat(201),
        '%00',
        '__proto__',
        'constructor',
        'a%2Fb',
        '%F0%9F%98%80',
        `${FLAG}%20`,
      ].map((flag) => post(`flag key ${flag.slice(0, 20)}`, path(flag), GOOD, 404)),
      ...badEnvironments.map(([label, query]) => post(label, path(FLAG, query), GOOD, 400)),
      ...garbageKeys().map(([label, headers]) => post(label, path(FLAG), GOOD, 401, headers)),
      // The key is checked before the body is read: garbage without a key is a 401, not a parse error.
      post('no key, garbage body', path(FLAG), '{"context":', 401, { authorization: '' }),
      post('no key, 1 MB body', path(FLAG), fields(1, 'z'.repeat(1_048_576)), 401, { authorization: '' }),
    ];
    await expectGroup(requests, answered);
  });

  it('POST /ofrep/v1/evaluate/flags (bulk): bodies, content types, environments and API keys', async () => {
    const path = (query = `?environment=${ENV}`) => `/ofrep/v1/evaluate/flags${query}`;
    const requests: Case[] = [
      ...REFUSED_BODIES.map(([label, body]) => post(label, path(), body, 400)),
      post('empty content type', path(), GOOD, 400, { 'content-type': '' }),
      post('multipart garbage', path(), '--x\r\n\r\n--x--', 400, { 'content-type': 'multipart/form-data' }),
      ...ANSWERED_BODIES.map(([label, body, headers]) => post(label, path(), body, 200, headers)),
      post('huge If-None-Match', path(), GOOD, 200, { 'if-none-match': `"${'x'.repeat(8_000)}"` }),
      ...badEnvironments.map(([label, query]) => post(label, path(query), GOOD, 400)),
      ...garbageKeys().map(([label, headers]) => post(label, path(), GOOD, 401, headers)),
      post('no key, garbage body', path(), '{"context":', 401, { authorization: '' }),
    ];
    await expectGroup(requests, answered);
  });

  it('GET /v1/flags/snapshot and /v1/flags/stream: environments, validators and API keys', async () => {
    const requests: Case[] = [];
    for (const route of ['/v1/flags/snapshot', '/v1/flags/stream']) {
      requests.push(
        ...badEnvironments.map(([label, query, kind]) =>
          get(`${route} ${label}`, `${route}${query}`, kind === 'invalid' ? 400 : 404),
        ),
        // A good environment with a bad key: never a snapshot, never an open stream.
        ...garbageKeys().map(([label, headers]) =>
          get(`${route} ${label}`, `${route}?environment=${ENV}`, 401, headers),
        ),
        get(`${route} bad environment, no key`, `${route}?environment=%00`, 401, { authorization: '' }),
      );
    }
    requests.push(
      get('snapshot, huge If-None-Match', `/v1/flags/snapshot?environment=${ENV}`, 200, {
        'if-none-match': `"${'x'.repeat(8_000)}"`,
      }),
      get('snapshot, If-None-Match list of junk', `/v1/flags/snapshot?environment=${ENV}`, 200, {
        'if-none-match': 'W/, *x, "", ,,,',
      }),
    );
    await expectGroup(requests, answered);
  });
});
