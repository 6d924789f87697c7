import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { readFilters, toListInput } from './filters';
import { ServicesView } from './services-view';

export const metadata: Metadata = { title: 'Services' };
export const dynamic = 'force-dynamic';

export default async function ServicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSession('viewer');
  const params = await searchParams;
  await prefetch(trpc.services.list.queryOptions(toListInput(readFilters((key) => params[key]))));
  return (
    <HydrateClient>
      <ServicesView role={user.role} />
    </HydrateClient>
  );
}
