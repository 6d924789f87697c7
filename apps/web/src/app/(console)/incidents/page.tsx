import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { readFilters, toListInput } from './filters';
import { IncidentsView } from './incidents-view';

export const metadata: Metadata = { title: 'Incidents' };
export const dynamic = 'force-dynamic';

export default async function IncidentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  await prefetch(trpc.incidents.list.queryOptions(toListInput(readFilters((key) => params[key]))));
  return (
    <HydrateClient>
      <IncidentsView role={user.role} />
    </HydrateClient>
  );
}
