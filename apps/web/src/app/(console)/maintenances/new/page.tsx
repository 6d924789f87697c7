import type { Metadata } from 'next';
import { ConsolePage } from '~/components/page-header';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { MaintenanceForm } from '../maintenance-form';

export const metadata: Metadata = { title: 'Schedule maintenance' };
export const dynamic = 'force-dynamic';

export default async function NewMaintenancePage() {
  await requireSession('maintainer');
  await Promise.all([
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    prefetch(trpc.environments.list.queryOptions()),
  ]);
  return (
    <ConsolePage
      title="Schedule maintenance"
      description="A one-off or recurring window over chosen services in chosen environments."
      back={{ href: '/maintenances', label: 'Maintenance' }}
      width="medium"
    >
      <HydrateClient>
        <MaintenanceForm />
      </HydrateClient>
    </ConsolePage>
  );
}
