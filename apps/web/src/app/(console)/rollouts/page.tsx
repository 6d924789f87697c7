import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { ROLLOUT_LIST } from './rollout-input';
import { RolloutsView } from './rollouts-view';

export const metadata: Metadata = { title: 'Rollouts' };
export const dynamic = 'force-dynamic';

export default async function RolloutsPage() {
  await requireSession('viewer');
  await prefetch(trpc.rollouts.list.queryOptions(ROLLOUT_LIST));
  return (
    <HydrateClient>
      <RolloutsView />
    </HydrateClient>
  );
}
