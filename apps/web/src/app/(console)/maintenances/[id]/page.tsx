import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { MaintenanceDetailView } from './maintenance-detail-view';

export const metadata: Metadata = { title: 'Maintenance window' };
export const dynamic = 'force-dynamic';

export default async function MaintenancePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await getQueryClient()
    .fetchQuery(trpc.maintenances.get.queryOptions({ id }))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND') notFound();
      throw e;
    });
  return (
    <HydrateClient>
      <MaintenanceDetailView id={id} role={user.role} />
    </HydrateClient>
  );
}
