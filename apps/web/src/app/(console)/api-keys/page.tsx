import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { ApiKeysView } from './api-keys-view';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function ApiKeysPage() {
  const user = await requireSession('maintainer');
  await prefetch(trpc.apiKeys.list.queryOptions());
  return (
    <HydrateClient>
      <ApiKeysView role={user.role} />
    </HydrateClient>
  );
}
