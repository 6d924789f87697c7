import type { Metadata } from 'next';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { StatusView } from './status-view';

export const metadata: Metadata = { title: 'Status' };
export const dynamic = 'force-dynamic';

/** Public: no sign-in, and only what `status.get` publishes (the view of every public service). */
export default async function StatusPage() {
  await prefetch(trpc.status.get.queryOptions());
  return (
    <HydrateClient>
      <StatusView />
    </HydrateClient>
  );
}
