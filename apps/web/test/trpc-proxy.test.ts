import { createServer } from 'node:net';
import { createClient, TRPCClientError } from '@sextant/trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Route = typeof import('../src/app/api/trpc/[trpc]/route');
let route: Route;
let closedPort: number;

beforeAll(async () => {
  // A port nothing listens on: the API is "down".
  closedPort = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
  process.env.API_URL = `http://127.0.0.1:${closedPort}`;
  process.env.API_PROXY_BODY_LIMIT_BYTES = '1024';
  route = await import('../src/app/api/trpc/[trpc]/route');
});
afterAll(() => {
  delete process.env.API_URL;
  delete process.env.API_PROXY_BODY_LIMIT_BYTES;
});

/** The typed client, calling the console's proxy route handler directly. */
function proxied() {
  return createClient({
    url: 'http://console.test/api/trpc',
    fetch: async (url, init) => {
      const req = new Request(url, init);
      const trpc = decodeURIComponent(new URL(req.url).pathname.replace('/api/trpc/', ''));
      const handler = req.method === 'GET' ? route.GET : route.POST;
      return handler(req, { params: Promise.resolve({ trpc }) });
    },
  });
}

async function errorsOf(calls: Promise<unknown>[]) {
  return (await Promise.allSettled(calls)).map((r) => {
    const err = r.status === 'rejected' ? r.reason : null;
    expect(err).toBeInstanceOf(TRPCClientError);
    const e = err as TRPCClientError<never>;
    const data = e.data as unknown as { code: string; appCode: string; httpStatus: number };
    return {
      rpc: (e.shape as unknown as { code: number }).code,
      code: data.code,
      appCode: data.appCode,
      status: data.httpStatus,
    };
  });
}

describe('the console tRPC proxy', () => {
  it("refuses an oversized batch with tRPC's PAYLOAD_TOO_LARGE error on every call", async () => {
    const client = proxied();
    const big = { name: 'x'.repeat(2_000), environment: 'production' } as never;
    expect(await errorsOf([1, 2, 3].map(() => client.services.create.mutate(big)))).toEqual(
      Array(3).fill({ rpc: -32013, code: 'PAYLOAD_TOO_LARGE', appCode: 'PAYLOAD_TOO_LARGE', status: 413 }),
    );
  });

  it('answers every call of a batch with API_UNAVAILABLE, a documented appCode, when the API is down', async () => {
    const client = proxied();
    expect(await errorsOf([1, 2].map(() => client.system.info.query()))).toEqual(
      Array(2).fill({ rpc: -32603, code: 'BAD_GATEWAY', appCode: 'API_UNAVAILABLE', status: 502 }),
    );
  });
});
