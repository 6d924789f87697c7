import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { FIRST_PAGE } from './board-input';
import { ReleasesView } from './releases-view';

export const metadata: Metadata = { title: 'Releases' };
export const dynamic = 'force-dynamic';

export default async function ReleasesPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.releases.board.queryOptions(FIRST_PAGE));
  return (
    <HydrateClient>
      <ReleasesView role={user.role} />
    </HydrateClient>
  );
}
