import { defaultShouldDehydrateQuery, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import superjson from 'superjson';

/** `onError` sees every failed query and mutation; the browser uses it to leave an ended session. */
export function makeQueryClient(onError?: (error: unknown) => void) {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Auth failures will not fix themselves by retrying.
        retry: (count, error) => count < 1 && !isAuthError(error),
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Stream queries still pending on the server instead of blocking the page.
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === 'pending',
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

export function isAuthError(error: unknown): boolean {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  return code === 'UNAUTHORIZED';
}
