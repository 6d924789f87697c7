import { cardinalityLabelsInput } from '@sextant/trpc/schemas';
import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { CardinalityView } from './cardinality-view';

export const metadata: Metadata = { title: 'Cardinality' };
export const dynamic = 'force-dynamic';

export default async function CardinalityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession('admin');
  // `?metric=` opens that metric's labels; anything that is not a metric name is ignored.
  const parsed = cardinalityLabelsInput.safeParse({ name: (await searchParams).metric });
  const metric = parsed.success ? parsed.data.name : null;
  await Promise.all([
    prefetch(trpc.cardinality.overview.queryOptions()),
    metric ? prefetch(trpc.cardinality.labels.queryOptions({ name: metric })) : null,
  ]);
  return (
    <HydrateClient>
      <CardinalityView metric={metric} />
    </HydrateClient>
  );
}
