import { roleAtLeast } from '@sextant/db/roles';
import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, notFoundIfMissing, prefetch, trpc } from '~/trpc/server';
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
  notFoundIfMissing(trpc.alertRules.get.queryKey({ id }));
  return (
    <HydrateClient>
      <RulePage id={id} canEdit={roleAtLeast(user.role, 'maintainer')} />
    </HydrateClient>
  );
}
