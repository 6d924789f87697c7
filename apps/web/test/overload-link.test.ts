import type { AppRouter } from '@sextant/trpc';
import { OVERLOADED_API_MESSAGE, trpcErrorBody } from '@sextant/trpc/error-codes';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { OVERLOADED_MESSAGE, overloadLink } from '../src/trpc/overload-link';

/** The console's client, its calls answered by `answer` as the proxy would pass them on. */
function clientAnswering(answer: () => Response) {
  return createTRPCClient<AppRouter>({
    links: [
      overloadLink,
      httpBatchLink({
        url: 'http://console.test/api/trpc',
        transformer: superjson,
        fetch: async () => answer(),
      }),
    ],
  });
}

async function messageOf(call: Promise<unknown>): Promise<string> {
  const result = await Promise.allSettled([call]);
  expect(result[0]!.status).toBe('rejected');
  return ((result[0] as PromiseRejectedResult).reason as Error).message;
}

describe('overload wording', () => {
  it('a 503 the API sheds load with reads as the overload message, for every call of a batch', async () => {
    const client = clientAnswering(() =>
      Response.json(trpcErrorBody(503, OVERLOADED_API_MESSAGE), {
        status: 503,
        headers: { 'retry-after': '10' },
      }),
    );
    const messages = await Promise.all([
      messageOf(client.system.info.query()),
      messageOf(client.environments.list.query()),
    ]);
    expect(messages).toEqual([OVERLOADED_MESSAGE, OVERLOADED_MESSAGE]);
  });

  it('other errors keep their own words, also a database outage answered with 503', async () => {
    const down = clientAnswering(() =>
      Response.json(trpcErrorBody(503, 'The database is unavailable.', 'DB_UNAVAILABLE'), { status: 503 }),
    );
    expect(await messageOf(down.system.info.query())).toBe('The database is unavailable.');
    const failed = clientAnswering(() =>
      Response.json(trpcErrorBody(500, 'Internal server error.'), { status: 500 }),
    );
    expect(await messageOf(failed.system.info.query())).toBe('Internal server error.');
  });
});
