import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { TRPC_MAX_BATCH } from './limits';
import type { AppRouter } from './root';

export interface ClientOptions {
  /** Full tRPC endpoint, e.g. `http://127.0.0.1:4000/trpc`. */
  url: string;
  /** An `sxt_…` API key; sent only in the Authorization header. */
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** A typed client for scripts and services: `await client.system.info.query()`. */
export function createClient(options: ClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url,
        transformer: superjson,
        maxItems: TRPC_MAX_BATCH,
        fetch: options.fetch,
        headers: () => ({
          ...options.headers,
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        }),
      }),
    ],
  });
}

export type SextantClient = ReturnType<typeof createClient>;
export type { AppRouter };
export { TRPCClientError };

/** The GET URL of one `releases.board` page, e.g. for `pnpm bench deploy` to time over HTTP. */
export function releaseBoardUrl(trpcUrl: string, input: { limit: number; cursor?: string; search?: string }) {
  return `${trpcUrl.replace(/\/$/, '')}/releases.board?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}
