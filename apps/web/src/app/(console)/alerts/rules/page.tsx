import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { RulesView } from './rules-view';

export const metadata: Metadata = { title: 'Alert rules' };
export const dynamic = 'force-dynamic';

export default async function AlertRulesPage() {
  const user = await requireSession('viewer');
  await prefetch(trpc.alertRules.list.queryOptions({}));
  return (
    <HydrateClient>
      <RulesView role={user.role} />
    </HydrateClient>
  );
}
