import type { Metadata } from 'next';
import { PageHeader } from '~/components/page-header';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { EnvironmentsCard } from './environments-card';
import { OutboundCard } from './outbound-card';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  await requireSession('admin');
  await Promise.all([
    prefetch(trpc.environments.list.queryOptions()),
    prefetch(trpc.settings.outbound.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <div className="mx-auto flex max-w-3xl flex-col gap-6">
        <PageHeader
          title="Settings"
          description="Environments and what checks may reach. Every change is recorded in the audit log."
        />
        <EnvironmentsCard />
        <OutboundCard />
      </div>
    </HydrateClient>
  );
}
