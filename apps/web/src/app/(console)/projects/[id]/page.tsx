import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { ProjectDashboardView } from './project-dashboard-view';

export const metadata: Metadata = { title: 'Project' };
export const dynamic = 'force-dynamic';

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await Promise.all([
    getQueryClient()
      .fetchQuery(trpc.progress.project.queryOptions({ projectId: id }))
      .catch((e: { data?: { code?: string } }) => {
        if (e?.data?.code === 'NOT_FOUND') notFound();
        throw e;
      }),
    prefetch(trpc.projects.get.queryOptions({ id })),
  ]);
  return (
    <HydrateClient>
      <ProjectDashboardView id={id} />
    </HydrateClient>
  );
}
