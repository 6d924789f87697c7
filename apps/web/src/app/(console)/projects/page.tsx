import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { PortfolioView } from './portfolio-view';

export const metadata: Metadata = { title: 'Projects' };
export const dynamic = 'force-dynamic';

export default async function ProjectsPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.progress.portfolio.queryOptions());
  return (
    <HydrateClient>
      <PortfolioView role={user.role} />
    </HydrateClient>
  );
}
