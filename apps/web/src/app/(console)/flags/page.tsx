import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { FlagsView } from './flags-view';
import { LIST_INPUT } from './list-input';

export const metadata: Metadata = { title: 'Flags' };
export const dynamic = 'force-dynamic';

export default async function FlagsPage() {
  const user = await requireSession('viewer');
  await Promise.all([
    prefetch(trpc.flags.list.queryOptions(LIST_INPUT)),
    prefetch(trpc.flags.staleReport.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <FlagsView role={user.role} />
    </HydrateClient>
  );
}
