import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { UsersView } from './users-view';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const user = await requireSession('admin');
  await prefetch(trpc.users.list.queryOptions());
  return (
    <HydrateClient>
      <UsersView currentUserId={user.id} />
    </HydrateClient>
  );
}
