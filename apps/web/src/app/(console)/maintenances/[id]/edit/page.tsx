import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { ConsolePage } from '~/components/page-header';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { EditMaintenance } from './edit-maintenance';

export const metadata: Metadata = { title: 'Edit maintenance' };
export const dynamic = 'force-dynamic';

export default async function EditMaintenancePage({ params }: { params: Promise<{ id: string }> }) {
  await requireSession('maintainer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await Promise.all([
    getQueryClient()
      .fetchQuery(trpc.maintenances.get.queryOptions({ id }))
      .catch((e: { data?: { code?: string } }) => {
        if (e?.data?.code === 'NOT_FOUND') notFound();
        throw e;
      }),
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    prefetch(trpc.environments.list.queryOptions()),
  ]);
  return (
    <ConsolePage
      title="Edit maintenance"
      description="A change applies to the whole series, past occurrences included (uptime is recomputed with it)."
      back={{ href: `/maintenances/${id}`, label: 'Maintenance window' }}
      width="medium"
    >
      <HydrateClient>
        <EditMaintenance id={id} />
      </HydrateClient>
    </ConsolePage>
  );
}
