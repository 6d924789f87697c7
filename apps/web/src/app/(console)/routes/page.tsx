import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { RoutesView } from './routes-view';

export const metadata: Metadata = { title: 'Routes' };
export const dynamic = 'force-dynamic';

export default async function RoutesPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.routes.get.queryOptions());
  return (
    <HydrateClient>
      <RoutesView role={user.role} />
    </HydrateClient>
  );
}
