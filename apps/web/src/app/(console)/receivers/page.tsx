import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { ReceiversView } from './receivers-view';

export const metadata: Metadata = { title: 'Receivers' };
export const dynamic = 'force-dynamic';

export default async function ReceiversPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.receivers.list.queryOptions());
  return (
    <HydrateClient>
      <ReceiversView role={user.role} />
    </HydrateClient>
  );
}
