import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers';

let api: TestApi;
let viewerKey: string;

beforeAll(async () => {
  // A small body limit and request timeout, so a body that were read would be a 413 or a 408, never a 401.
  api = await startTestApi({ METRICS_BODY_LIMIT_BYTES: '2048', API_REQUEST_TIMEOUT_MS: '2000' });
  viewerKey = (await api.withKey('viewer')).key;
});
afterAll(async () => {
  await api?.close();
});

function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) {
  return fetch(`${api.baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Sends headers and then body chunks forever; resolves with the status once the server answers. */
function endlessUpload(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${api.baseUrl}/v1/metrics`);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
      (res) => {
        clearInterval(timer);
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      },
    );
    req.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    const chunk = gzipSync(Buffer.alloc(64 * 1024, '{"points":[]}'));
    const timer = setInterval(() => req.write(chunk), 10);
  });
}

describe('POST /v1/metrics checks the key before reading the body', () => {
  const bad = 'Bearer sxt_not-a-real-key-not-a-real-key-not-a-real-k';

  it('answers 401 to a corrupt gzip body without a key or with a wrong one (not 400)', async () => {
    for (const authorization of [undefined, bad]) {
      const res = await post('definitely not gzip', {
        'content-encoding': 'gzip',
        ...(authorization ? { authorization } : {}),
      });
      expect(res.status, authorization ?? 'no key').toBe(401);
      expect(await res.json()).toEqual({ error: 'Send a valid API key as "Authorization: Bearer <key>".' });
    }
  });

  it('answers 401 to a body over the limit (not 413), and 403 to a viewer key', async () => {
    const big = JSON.stringify({ points: [], pad: 'x'.repeat(10_000) });
    expect((await post(big, { authorization: bad })).status).toBe(401);
    expect(
      (await post(new Uint8Array(gzipSync(big)), { authorization: bad, 'content-encoding': 'gzip' })).status,
    ).toBe(401);
    const viewer = await post(big, { authorization: `Bearer ${viewerKey}` });
    expect(viewer.status).toBe(403);
  });

  it('answers 401 while a gzip upload is still streaming', async () => {
    const status = await endlessUpload({
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      authorization: bad,
    });
    expect(status).toBe(401);
  });
});
