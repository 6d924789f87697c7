import { roleAtLeast } from '@sextant/db/roles';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';
import { RulePage } from '../rule-page';

export const metadata: Metadata = { title: 'Alert rule' };
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

export default async function AlertRulePage({ params }: Params) {
  const user = await requireSession('viewer');
  const { id } = await params;
  await Promise.all([
    prefetch(trpc.alertRules.get.queryOptions({ id })),
    prefetch(trpc.services.list.queryOptions({ pageSize: 100 })),
  ]);
  const failed = getQueryClient().getQueryState(trpc.alertRules.get.queryKey({ id }))?.error as {
    data?: { code?: string };
  } | null;
  if (failed?.data?.code === 'NOT_FOUND' || failed?.data?.code === 'BAD_REQUEST') notFound();
  return (
    <HydrateClient>
      <RulePage id={id} canEdit={roleAtLeast(user.role, 'maintainer')} />
    </HydrateClient>
  );
}
