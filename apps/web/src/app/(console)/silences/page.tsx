import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { readFilters, toListInput } from './filters';
import { SilencesView } from './silences-view';

export const metadata: Metadata = { title: 'Silences' };
export const dynamic = 'force-dynamic';

export default async function SilencesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  await prefetch(trpc.silences.list.queryOptions(toListInput(readFilters((key) => params[key]))));
  return (
    <HydrateClient>
      <SilencesView role={user.role} />
    </HydrateClient>
  );
}
