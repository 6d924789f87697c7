import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { OverviewView } from './overview-view';

export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  prefetch(trpc.system.info.queryOptions());
  prefetch(trpc.system.environments.queryOptions());
  return (
    <HydrateClient>
      <OverviewView />
    </HydrateClient>
  );
}
