import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { DoraView } from './dora-view';
import { readDays } from './window';

export const metadata: Metadata = { title: 'DORA' };
export const dynamic = 'force-dynamic';

export default async function DoraPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession('viewer');
  const days = readDays((await searchParams).days);
  await Promise.all([
    prefetch(trpc.dora.get.queryOptions({ days })),
    prefetch(trpc.dora.overview.queryOptions({ days })),
  ]);
  return (
    <HydrateClient>
      <DoraView />
    </HydrateClient>
  );
}
