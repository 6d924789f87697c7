import { flagKey } from '@sextant/trpc/schemas';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, trpc } from '~/trpc/server';
import { FlagView } from './flag-view';

export const metadata: Metadata = { title: 'Flag' };
export const dynamic = 'force-dynamic';

export default async function FlagPage({ params }: { params: Promise<{ key: string }> }) {
  const user = await requireSession('viewer');
  const key = decodeURIComponent((await params).key);
  if (!flagKey.safeParse(key).success) notFound();
  await getQueryClient()
    .fetchQuery(trpc.flags.get.queryOptions({ key }))
    .catch((e: { data?: { code?: string } }) => {
      if (e?.data?.code === 'NOT_FOUND') notFound();
      throw e;
    });
  return (
    <HydrateClient>
      <FlagView flagKey={key} role={user.role} />
    </HydrateClient>
  );
}
