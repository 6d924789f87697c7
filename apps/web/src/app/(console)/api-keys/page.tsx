import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { ApiKeysView } from './api-keys-view';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function ApiKeysPage() {
  const user = await requireSession('maintainer');
  // Awaited: a still-pending query renders "Loading…" on the server but data on the client (hydration mismatch).
  await getQueryClient().prefetchQuery(trpc.apiKeys.list.queryOptions());
  return (
    <HydrateClient>
      <ApiKeysView role={user.role} />
    </HydrateClient>
  );
}
