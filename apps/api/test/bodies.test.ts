import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

const LIMIT = 64 * 1024;
let api: TestApi;
let maintainerKey: string;

beforeAll(async () => {
  api = await startTestApi({
    API_BODY_LIMIT_BYTES: String(LIMIT),
    METRICS_BODY_LIMIT_BYTES: String(LIMIT),
    // The bodies are built in this process; load shedding must not answer in the server's place.
    API_MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  maintainerKey = (await api.withKey('maintainer')).key;
});
afterAll(async () => {
  await api?.close();
});

/** What a client gets back; a failed upload (EPIPE, reset) is "no answer", the bug this file is about. */
async function post(path: string, body: BodyInit, headers: Record<string, string>) {
  try {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${maintainerKey}`, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: `no answer: ${(err as Error).cause ?? err}` };
  }
}

const json = { 'content-type': 'application/json' };
const oversized = (factor: number) =>
  Buffer.from(JSON.stringify({ json: { name: 'x'.repeat(LIMIT * factor) } }));

/** A client in its own process, as in real life: it is still sending when the server answers. */
async function postFromAnotherProcess(path: string, bytes: number): Promise<string> {
  const script = `
    const [url, key, bytes] = process.argv.slice(1);
    const body = Buffer.alloc(Number(bytes), 97);
    const headers = { authorization: 'Bearer ' + key, 'content-type': 'application/json' };
    const answer = await fetch(url, { method: 'POST', headers, body }).then(
      async (res) => res.status + ' ' + (await res.text()),
      (err) => 'no answer: ' + (err.cause ?? err),
    );
    console.log(answer);`;
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [
    '--input-type=module',
    '-e',
    script,
    `${api.baseUrl}${path}`,
    maintainerKey,
    String(bytes),
  ]);
  return stdout.trim();
}

describe('oversized bodies get a 413, however they are sent', () => {
  it.each([4, 300])(
    'to /trpc with Content-Length, %i × the limit, from a client in another process',
    async (factor) => {
      const answer = await postFromAnotherProcess('/trpc/services.create', LIMIT * factor);
      expect(answer).toMatch(/^413 /);
      expect(JSON.parse(answer.slice(4)).error.json.data.appCode).toBe('PAYLOAD_TOO_LARGE');
    },
  );

  it('to /trpc chunked, and gzip-encoded', async () => {
    const chunked = await post('/trpc/services.create', new Blob([oversized(8)]).stream(), json);
    expect(chunked.status, chunked.body).toBe(413);
    const gzip = await post('/trpc/services.create', gzipSync(oversized(8)), {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(gzip.status, gzip.body).toBeGreaterThanOrEqual(400);
    expect(gzip.status).toBeLessThan(500);
  });

  it('to /v1/metrics, plain and gzip', async () => {
    const plain = await post('/v1/metrics', 'x'.repeat(LIMIT * 8), json);
    expect(plain.status, plain.body).toBe(413);
    const gzip = await post('/v1/metrics', gzipSync(' '.repeat(LIMIT * 40)), {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(gzip.status, gzip.body).toBe(413);
  });

  it('and the connection still serves the next request', async () => {
    await post('/trpc/services.create', oversized(8), json);
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('tRPC takes JSON bodies only', () => {
  it.each([
    [
      'multipart/form-data; boundary=x',
      `--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n${'a'.repeat(LIMIT * 4)}\r\n--x--\r\n`,
    ],
    ['application/octet-stream', 'a'.repeat(LIMIT * 4)],
    ['text/plain', '{"json":{"name":"x"}}'],
  ])('%s is refused with 415 before anything is read', async (type, body) => {
    const answer = await post('/trpc/services.create', body, { 'content-type': type });
    expect(answer.status, answer.body).toBe(415);
    expect(JSON.parse(answer.body).error.json.data.appCode).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
