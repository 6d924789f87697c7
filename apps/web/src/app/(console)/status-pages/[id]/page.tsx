import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { ConsolePage } from '~/components/page-header';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { EditStatusPage } from './edit-status-page';

export const metadata: Metadata = { title: 'Edit status page' };
export const dynamic = 'force-dynamic';

export default async function EditStatusPagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireSession('admin');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await Promise.all([
    getQueryClient()
      .fetchQuery(trpc.statusPages.get.queryOptions({ id }))
      .catch((e: { data?: { code?: string } }) => {
        if (e?.data?.code === 'NOT_FOUND') notFound();
        throw e;
      }),
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    prefetch(trpc.environments.list.queryOptions()),
    prefetch(trpc.receivers.list.queryOptions()),
    prefetch(trpc.statusPages.subscribers.queryOptions({ pageId: id })),
  ]);
  return (
    <ConsolePage
      title="Edit status page"
      description="Changes show on the page within seconds."
      back={{ href: '/status-pages', label: 'Status pages' }}
      width="medium"
    >
      <HydrateClient>
        <EditStatusPage id={id} />
      </HydrateClient>
    </ConsolePage>
  );
}
