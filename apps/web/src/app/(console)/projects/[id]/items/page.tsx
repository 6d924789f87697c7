import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { readFilters, toListInput } from './filters';
import { ItemsView } from './items-view';

export const metadata: Metadata = { title: 'Work items' };
export const dynamic = 'force-dynamic';

export default async function ProjectItemsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await getQueryClient()
    .fetchQuery(trpc.projects.get.queryOptions({ id }))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND') notFound();
      throw e;
    });
  const query = await searchParams;
  await Promise.all([
    prefetch(
      trpc.workItems.list.queryOptions(
        toListInput(
          id,
          readFilters((key) => query[key]),
        ),
      ),
    ),
    prefetch(trpc.milestones.list.queryOptions({ projectId: id })),
    prefetch(trpc.users.directory.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <ItemsView projectId={id} role={user.role} />
    </HydrateClient>
  );
}
