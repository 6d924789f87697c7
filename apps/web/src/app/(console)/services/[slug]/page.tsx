import type { Metadata } from 'next';
import { requireSession } from '~/server/session';
import { getQueryClient, HydrateClient, notFoundIfMissing, prefetch, trpc } from '~/trpc/server';
import { ServiceDetailView } from './service-detail-view';
import { DEFAULT_RANGE, TIMELINE_INPUT } from './types';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const detail = await getQueryClient()
    .fetchQuery(trpc.services.get.queryOptions({ id: slug }))
    .catch(() => null);
  return { title: detail?.service.name ?? 'Service' };
}

/** Where cron jobs send heartbeat pings: the API's public address, not this console's. */
function pingBase(): string {
  const base = process.env.SEXTANT_PUBLIC_API_URL ?? process.env.API_URL ?? 'http://127.0.0.1:4000';
  return base.replace(/\/+$/, '');
}

export default async function ServicePage({ params }: Params) {
  const user = await requireSession('viewer');
  const { slug } = await params;
  await Promise.all([
    prefetch(trpc.services.get.queryOptions({ id: slug })),
    prefetch(trpc.services.uptime.queryOptions({ id: slug })),
    prefetch(trpc.services.latency.queryOptions({ id: slug, range: DEFAULT_RANGE })),
    prefetch(trpc.environments.list.queryOptions()),
    prefetch(trpc.discovery.list.queryOptions({ service: slug })),
    prefetch(trpc.scrapeTargets.list.queryOptions({ service: slug })),
    prefetch(trpc.alerts.forService.queryOptions({ service: slug })),
    prefetch(trpc.deployments.timeline.queryOptions(TIMELINE_INPUT(slug))),
  ]);
  notFoundIfMissing(trpc.services.get.queryKey({ id: slug }));
  return (
    <HydrateClient>
      <ServiceDetailView slug={slug} role={user.role} pingBase={pingBase()} />
    </HydrateClient>
  );
}
