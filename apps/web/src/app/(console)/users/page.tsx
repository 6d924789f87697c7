import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { UsersView } from './users-view';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const user = await requireSession('admin');
  // Awaited: a still-pending query renders "Loading…" on the server but data on the client (hydration mismatch).
  await getQueryClient().prefetchQuery(trpc.users.list.queryOptions());
  return (
    <HydrateClient>
      <UsersView currentUserId={user.id} />
    </HydrateClient>
  );
}
