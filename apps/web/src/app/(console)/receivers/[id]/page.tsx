import { roleAtLeast } from '@sextant/db/roles';
import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, notFoundIfMissing, prefetch, trpc } from '~/trpc/server';
import { ReceiverPage } from '../receiver-page';

export const metadata: Metadata = { title: 'Receiver' };
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

export default async function EditReceiverPage({ params }: Params) {
  const user = await requireSession('viewer');
  const { id } = await params;
  await prefetch(trpc.receivers.get.queryOptions({ id }));
  notFoundIfMissing(trpc.receivers.get.queryKey({ id }));
  return (
    <HydrateClient>
      <ReceiverPage id={id} canEdit={roleAtLeast(user.role, 'maintainer')} />
    </HydrateClient>
  );
}
