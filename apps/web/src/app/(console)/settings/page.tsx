import type { Metadata } from 'next';
import { ConsolePage } from '~/components/page-header';
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
      <ConsolePage
        title="Settings"
        description="Environments and what checks may reach. Every change is recorded in the audit log."
        width="narrow"
      >
        <EnvironmentsCard />
        <OutboundCard />
      </ConsolePage>
    </HydrateClient>
  );
}
