import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { EditSilenceView } from './edit-silence-view';

export const metadata: Metadata = { title: 'Edit silence' };
export const dynamic = 'force-dynamic';

export default async function EditSilencePage({ params }: { params: Promise<{ id: string }> }) {
  await requireSession('maintainer');
  const { id } = await params;
  await prefetch(trpc.silences.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <EditSilenceView id={id} />
    </HydrateClient>
  );
}
