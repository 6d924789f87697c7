import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { TimeIntervalsView } from './time-intervals-view';

export const metadata: Metadata = { title: 'Time intervals' };
export const dynamic = 'force-dynamic';

export default async function TimeIntervalsPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.timeIntervals.list.queryOptions());
  return (
    <HydrateClient>
      <TimeIntervalsView role={user.role} />
    </HydrateClient>
  );
}
