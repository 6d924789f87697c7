import type { Metadata } from 'next';
import { readRange, resolveRange } from '~/lib/metrics-range';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { FleetView } from './fleet-view';

export const metadata: Metadata = { title: 'Metrics' };
export const dynamic = 'force-dynamic';

export default async function MetricsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession('viewer');
  const query = await searchParams;
  // One "now" for the server's prefetch and the browser's first render, so their query keys match.
  const now = Date.now();
  const { from, to } = resolveRange(
    readRange((key) => query[key]),
    now,
  );
  await prefetch(trpc.metrics.fleet.queryOptions({ from, to }));
  return (
    <HydrateClient>
      <FleetView now={now} />
    </HydrateClient>
  );
}
