import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { OverviewView } from './overview-view';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  await requireSession();
  await Promise.all([
    prefetch(trpc.overview.get.queryOptions()),
    prefetch(trpc.system.info.queryOptions()),
    prefetch(trpc.environments.list.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <OverviewView />
    </HydrateClient>
  );
}
