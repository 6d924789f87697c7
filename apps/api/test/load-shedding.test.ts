import { OVERLOADED_API_MESSAGE, trpcErrorBody } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ API_MAX_EVENT_LOOP_DELAY_MS: '20', API_RATE_LIMIT_PER_MIN: '0' });
});
afterAll(async () => {
  await api?.close();
});

describe('load shedding', () => {
  it('after a real event-loop stall, calls get 503 OVERLOADED with Retry-After, in the body the console reads', async () => {
    // The server runs in this process: a synchronous stall, as a runaway computation would cause.
    const until = Date.now() + 3_000;
    while (Date.now() < until) {}
    // The lag is read once per sample; ask until the sample that saw the stall is in force.
    const res = await vi.waitFor(
      async () => {
        const r = await fetch(`${api.baseUrl}/trpc/system.info`);
        expect(r.status).toBe(503);
        return r;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toEqual(trpcErrorBody(503, OVERLOADED_API_MESSAGE));
  });
});
