import { TRPC_MAX_BATCH } from '@sextant/trpc';
import { createClient, TRPCClientError } from '@sextant/trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ API_RATE_LIMIT_PER_MIN: '30' });
});
afterAll(async () => {
  await api?.close();
});

type TrpcError = {
  error: { json: { message: string; data: { code: string; httpStatus: number; appCode: string } } };
};

/** A GET batch of `n` calls of system.info, as httpBatchLink sends it (or spelled otherwise). */
function batchOf(n: number, baseUrl = api.baseUrl, { query = 'batch=1', comma = ',' } = {}) {
  const paths = Array.from({ length: n }, () => 'system.info').join(comma);
  const input = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}])));
  return fetch(`${baseUrl}/trpc/${paths}?${query}&input=${encodeURIComponent(input)}`);
}

/** Spellings tRPC still runs as a batch (it reads the first `batch` value and decodes the path before splitting). */
const RESPELLED = [
  { query: 'batch=1&batch=1' },
  { query: 'batch=1&batch=0' },
  { query: 'batch=1&batch' },
  { query: 'batch=1', comma: '%2C' },
  { query: 'batch=1', comma: '%252C' },
  { query: 'batch=%31&batch=1' },
];

describe('tRPC batches', () => {
  it(`are refused over ${TRPC_MAX_BATCH} calls with a 400 in tRPC's shape and an appCode`, async () => {
    const unlimited = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
    try {
      const over = await batchOf(TRPC_MAX_BATCH + 1, unlimited.baseUrl);
      expect(over.status).toBe(400);
      // One error for the whole batch, not an array: httpBatchLink gives a non-array error to every call.
      const body = (await over.json()) as TrpcError;
      expect(body.error.json.data).toMatchObject({
        code: 'BAD_REQUEST',
        httpStatus: 400,
        appCode: 'BATCH_TOO_LARGE',
      });
      expect(body.error.json.message).toMatch(/at most 20 calls/);
      const full = await batchOf(TRPC_MAX_BATCH, unlimited.baseUrl);
      expect(full.status).toBe(200);
      expect(((await full.json()) as unknown[]).length).toBe(TRPC_MAX_BATCH);
    } finally {
      await unlimited.close();
    }
  });

  it('are capped however the batch parameter is repeated or the commas are encoded', async () => {
    const unlimited = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
    try {
      for (const spelling of RESPELLED) {
        const over = await batchOf(300, unlimited.baseUrl, spelling);
        expect(over.status, JSON.stringify(spelling)).toBe(400);
        const body = (await over.json()) as TrpcError;
        expect(body.error.json.data.appCode, JSON.stringify(spelling)).toBe('BATCH_TOO_LARGE');
      }
    } finally {
      await unlimited.close();
    }
  });

  it('charge every call however the batch parameter is spelled', async () => {
    const limited = await startTestApi({ API_RATE_LIMIT_PER_MIN: '1000' });
    try {
      let remaining = 1000;
      for (const spelling of RESPELLED) {
        const res = await batchOf(20, limited.baseUrl, spelling);
        // %252C decodes to a path tRPC does not find (404); it still ran as a batch of 20 calls.
        expect([200, 404], JSON.stringify(spelling)).toContain(res.status);
        remaining -= 20;
        expect(res.headers.get('x-ratelimit-remaining'), JSON.stringify(spelling)).toBe(String(remaining));
      }
      // Not a batch for tRPC (its first `batch` value is not 1): one call of an unknown path, one unit.
      const single = await batchOf(20, limited.baseUrl, { query: 'batch=0&batch=1' });
      expect(single.status).toBe(404);
      expect(single.headers.get('x-ratelimit-remaining')).toBe(String(remaining - 1));
    } finally {
      await limited.close();
    }
  });

  it('cost one unit of the per-IP rate limit per call; over it the answer is 429 with RATE_LIMITED', async () => {
    const twenty = await batchOf(20);
    expect(twenty.status).toBe(200);
    expect(twenty.headers.get('x-ratelimit-remaining')).toBe('10');
    const ten = await batchOf(10);
    expect(ten.status).toBe(200);
    expect(ten.headers.get('x-ratelimit-remaining')).toBe('0');
    const one = await fetch(`${api.baseUrl}/trpc/system.info`);
    expect(one.status).toBe(429);
    expect(Number(one.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await one.json()) as TrpcError;
    expect(body.error.json.data).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      appCode: 'RATE_LIMITED',
    });
  });

  it('refused whole (429, 413), give every call of the typed client its error and appCode', async () => {
    const small = await startTestApi({ API_RATE_LIMIT_PER_MIN: '5', API_BODY_LIMIT_BYTES: '1024' });
    try {
      const client = createClient({ url: `${small.baseUrl}/trpc` });
      const appCodes = async (calls: Promise<unknown>[]) =>
        (await Promise.allSettled(calls)).map((r) => {
          const err = r.status === 'rejected' ? r.reason : null;
          expect(err).toBeInstanceOf(TRPCClientError);
          return ((err as TRPCClientError<never>).data as unknown as { appCode?: string } | undefined)
            ?.appCode;
        });
      const big = { name: 'x'.repeat(2_000), environment: 'production' } as never;
      expect(await appCodes([1, 2, 3].map(() => client.services.create.mutate(big)))).toEqual(
        Array(3).fill('PAYLOAD_TOO_LARGE'),
      );
      expect(await appCodes(Array.from({ length: 8 }, () => client.system.info.query()))).toEqual(
        Array(8).fill('RATE_LIMITED'),
      );
    } finally {
      await small.close();
    }
  });

  it('the typed client splits many parallel calls into batches within the cap', async () => {
    const unlimited = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
    try {
      const sizes: number[] = [];
      const client = createClient({
        url: `${unlimited.baseUrl}/trpc`,
        fetch: (url, init) => {
          sizes.push(new URL(String(url)).pathname.split(',').length);
          return fetch(url, init);
        },
      });
      const answers = await Promise.all(Array.from({ length: 45 }, () => client.system.info.query()));
      expect(answers).toHaveLength(45);
      expect(sizes.every((n) => n <= TRPC_MAX_BATCH)).toBe(true);
      expect(sizes.reduce((a, n) => a + n, 0)).toBe(45);
    } finally {
      await unlimited.close();
    }
  });
});
