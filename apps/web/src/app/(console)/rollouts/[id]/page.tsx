import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { RolloutDetailView } from './rollout-detail-view';

export const metadata: Metadata = { title: 'Rollout' };
export const dynamic = 'force-dynamic';

export default async function RolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  await getQueryClient()
    .fetchQuery(trpc.rollouts.get.queryOptions({ id }))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND') notFound();
      throw e;
    });
  return (
    <HydrateClient>
      <RolloutDetailView id={id} role={user.role} />
    </HydrateClient>
  );
}
