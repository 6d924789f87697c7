import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { NotificationsView } from './notifications-view';
import { deliveriesInput, readFilters, ticksInput } from './tabs';

export const metadata: Metadata = { title: 'Notifications' };
export const dynamic = 'force-dynamic';

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  const filters = readFilters((key) => params[key]);
  // `prefetch` takes plain queries; these infinite ones go to the query client directly.
  const client = getQueryClient();
  if (filters.tab === 'decisions')
    await client.prefetchInfiniteQuery(
      trpc.notifications.ticks.infiniteQueryOptions(ticksInput(filters), {
        getNextPageParam: (last) => last.nextCursor,
      }),
    );
  else
    await client.prefetchInfiniteQuery(
      trpc.notifications.deliveries.infiniteQueryOptions(deliveriesInput(filters), {
        getNextPageParam: (last) => last.nextCursor,
      }),
    );
  return (
    <HydrateClient>
      <NotificationsView role={user.role} />
    </HydrateClient>
  );
}
