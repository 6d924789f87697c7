import { roleAtLeast } from '@sextant/db/roles';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { UPDATES_SHOWN } from './settings-shared';
import { SettingsView } from './settings-view';

export const metadata: Metadata = { title: 'Project settings' };
export const dynamic = 'force-dynamic';

export default async function ProjectSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await getQueryClient()
    .fetchQuery(trpc.projects.get.queryOptions({ id }))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND') notFound();
      throw e;
    });
  const canWrite = roleAtLeast(user.role, 'maintainer');
  await Promise.all([
    prefetch(trpc.milestones.list.queryOptions({ projectId: id })),
    prefetch(trpc.projects.listUpdates.queryOptions({ projectId: id, limit: UPDATES_SHOWN })),
    prefetch(trpc.users.directory.queryOptions()),
    prefetch(trpc.receivers.list.queryOptions()),
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    // Share links are for maintainers only (the API refuses a viewer's read too).
    canWrite ? prefetch(trpc.projects.shareLinks.list.queryOptions({ projectId: id })) : null,
  ]);
  return (
    <HydrateClient>
      <SettingsView projectId={id} role={user.role} />
    </HydrateClient>
  );
}
