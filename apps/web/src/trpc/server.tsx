import 'server-only';
import type { AppRouter } from '@sextant/trpc';
import { TRPC_MAX_BATCH } from '@sextant/trpc/limits';
import { dehydrate, HydrationBoundary, type QueryKey } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCOptionsProxy, type TRPCQueryOptions } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import superjson from 'superjson';
import { clientIp } from '~/auth/request-info';
import { serverEnv } from '~/env';
import { overloadLink } from './overload-link';
import { makeQueryClient } from './query-client';

export const getQueryClient = cache(makeQueryClient);

/** Server components call the API over HTTP like the browser does, forwarding the visitor's cookies. */
const client = createTRPCClient<AppRouter>({
  links: [
    overloadLink,
    httpBatchLink({
      url: `${serverEnv().API_URL}/trpc`,
      transformer: superjson,
      maxItems: TRPC_MAX_BATCH,
      async headers() {
        const h = await headers();
        // The visitor's address as the console derived it; the API trusts this hop, so never pass the caller's own.
        const out: Record<string, string> = { 'x-forwarded-for': clientIp(h) };
        for (const name of ['cookie', 'x-request-id', 'user-agent']) {
          const v = h.get(name);
          if (v) out[name] = v;
        }
        return out;
      },
      fetch: (url, init) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(serverEnv().API_PROXY_TIMEOUT_MS) }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient: getQueryClient });

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** Await it in page.tsx: the first render then already has the data, so server and browser HTML match. */
// biome-ignore lint/suspicious/noExplicitAny: accepts any procedure's query options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): Promise<void> {
  return getQueryClient().prefetchQuery(queryOptions);
}

/** After the object's prefetch: a 404 page when it does not exist (or its id is malformed). */
export function notFoundIfMissing(queryKey: QueryKey): void {
  const failed = getQueryClient().getQueryState(queryKey)?.error as { data?: { code?: string } } | null;
  if (failed?.data?.code === 'NOT_FOUND' || failed?.data?.code === 'BAD_REQUEST') notFound();
}
