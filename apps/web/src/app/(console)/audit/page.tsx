import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { AuditView } from './audit-view';
import { readFilters, toListInput } from './filters';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession('admin');
  const params = await searchParams;
  const input = toListInput(readFilters((key) => params[key]));
  // `prefetch` takes plain queries; this infinite one goes to the query client directly.
  await Promise.all([
    getQueryClient().prefetchInfiniteQuery(
      trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor }),
    ),
    prefetch(trpc.audit.actions.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <AuditView />
    </HydrateClient>
  );
}
