import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { readState } from './filters';
import { MaintenancesView } from './maintenances-view';

export const metadata: Metadata = { title: 'Maintenance' };
export const dynamic = 'force-dynamic';

export default async function MaintenancesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  await prefetch(trpc.maintenances.list.queryOptions(readState((key) => params[key])));
  return (
    <HydrateClient>
      <MaintenancesView role={user.role} />
    </HydrateClient>
  );
}
