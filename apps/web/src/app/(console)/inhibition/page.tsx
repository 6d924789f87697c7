import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { InhibitionView } from './inhibition-view';

export const metadata: Metadata = { title: 'Inhibition rules' };
export const dynamic = 'force-dynamic';

export default async function InhibitionPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.inhibitionRules.list.queryOptions());
  return (
    <HydrateClient>
      <InhibitionView role={user.role} />
    </HydrateClient>
  );
}
