import type { Metadata } from 'next';
import { ConsolePage } from '~/components/page-header';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { IncidentForm } from '../incident-form';

export const metadata: Metadata = { title: 'Declare incident' };
export const dynamic = 'force-dynamic';

export default async function NewIncidentPage() {
  await requireSession('maintainer');
  await Promise.all([
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    prefetch(trpc.environments.list.queryOptions()),
  ]);
  return (
    <ConsolePage
      title="Declare incident"
      description="Opens an incident as investigating, started and detected now."
      back={{ href: '/incidents', label: 'Incidents' }}
      width="medium"
    >
      <HydrateClient>
        <IncidentForm />
      </HydrateClient>
    </ConsolePage>
  );
}
