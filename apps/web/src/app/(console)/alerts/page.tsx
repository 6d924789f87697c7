import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { AlertsView } from './alerts-view';
import { readFilters, toListInput } from './filters';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  const input = toListInput(readFilters((key) => params[key]));
  // `prefetch` takes plain queries; this infinite one goes to the query client directly.
  await getQueryClient().prefetchInfiniteQuery(
    trpc.alerts.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor }),
  );
  return (
    <HydrateClient>
      <AlertsView role={user.role} />
    </HydrateClient>
  );
}
