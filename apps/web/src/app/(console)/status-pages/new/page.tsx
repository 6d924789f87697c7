import type { Metadata } from 'next';
import { ConsolePage } from '~/components/page-header';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';
import { StatusPageForm } from '../status-page-form';

export const metadata: Metadata = { title: 'New status page' };
export const dynamic = 'force-dynamic';

export default async function NewStatusPagePage() {
  await requireSession('admin');
  await Promise.all([
    prefetch(trpc.services.list.queryOptions(SERVICE_CHOICES)),
    prefetch(trpc.environments.list.queryOptions()),
    prefetch(trpc.receivers.list.queryOptions()),
  ]);
  return (
    <ConsolePage
      title="New status page"
      description="What it shows, to whom, and at which address."
      back={{ href: '/status-pages', label: 'Status pages' }}
      width="medium"
    >
      <HydrateClient>
        <StatusPageForm />
      </HydrateClient>
    </ConsolePage>
  );
}
