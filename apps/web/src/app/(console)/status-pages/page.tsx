import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { StatusPagesView } from './status-pages-view';

export const metadata: Metadata = { title: 'Status pages' };
export const dynamic = 'force-dynamic';

export default async function StatusPagesPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.statusPages.list.queryOptions());
  return (
    <HydrateClient>
      <StatusPagesView role={user.role} />
    </HydrateClient>
  );
}
