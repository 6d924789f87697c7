import { roleAtLeast } from '@sextant/db/roles';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { ReceiverPage } from '../receiver-page';

export const metadata: Metadata = { title: 'Receiver' };
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

export default async function EditReceiverPage({ params }: Params) {
  const user = await requireSession('viewer');
  const { id } = await params;
  await prefetch(trpc.receivers.get.queryOptions({ id }));
  const failed = getQueryClient().getQueryState(trpc.receivers.get.queryKey({ id }))?.error as {
    data?: { code?: string };
  } | null;
  if (failed?.data?.code === 'NOT_FOUND' || failed?.data?.code === 'BAD_REQUEST') notFound();
  return (
    <HydrateClient>
      <ReceiverPage id={id} canEdit={roleAtLeast(user.role, 'maintainer')} />
    </HydrateClient>
  );
}
