import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { RulePage } from '../rule-page';

export const metadata: Metadata = { title: 'New alert rule' };
export const dynamic = 'force-dynamic';

export default async function NewAlertRulePage() {
  await requireSession('maintainer');
  await prefetch(trpc.services.list.queryOptions({ pageSize: 100 }));
  return (
    <HydrateClient>
      <RulePage canEdit />
    </HydrateClient>
  );
}
