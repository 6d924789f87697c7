'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { useSuspenseQuery } from '@tanstack/react-query';
import { RefreshError } from '~/components/refresh-error';
import { useTRPC } from '~/trpc/react';
import { ChecksCard } from './checks-card';
import { DeploymentsCard } from './deployments-card';
import { EventsCard } from './events-card';
import { FiringAlertsCard } from './firing-alerts-card';
import { HeartbeatsCard } from './heartbeats-card';
import { InstancesCard } from './instances-card';
import { LatencyCard } from './latency-card';
import { ScrapeTargetsCard } from './scrape-targets-card';
import { ServiceHeader } from './service-header';
import { UptimeCard } from './uptime-card';

/** State is what people watch during an incident, so it polls fast; aggregates change slower. */
const LIVE_MS = 5_000;
const UPTIME_MS = 10_000;
const LATENCY_MS = 30_000;

export function ServiceDetailView({ slug, role, pingBase }: { slug: string; role: Role; pingBase: string }) {
  const trpc = useTRPC();
  const detail = useSuspenseQuery(trpc.services.get.queryOptions({ id: slug }, { refetchInterval: LIVE_MS }));
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());
  const canEdit = roleAtLeast(role, 'maintainer');
  const d = detail.data;
  const envs = environments.data;
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <ServiceHeader detail={d} refreshSeconds={LIVE_MS / 1_000} />
      <RefreshError queries={[detail, environments]} />
      <FiringAlertsCard service={slug} refreshMs={LIVE_MS} />
      <div className="grid gap-6 xl:grid-cols-2">
        <UptimeCard service={slug} bars={d.bars} refreshMs={UPTIME_MS} />
        <LatencyCard service={slug} refreshMs={LATENCY_MS} />
      </div>
      <DeploymentsCard service={slug} refreshMs={LATENCY_MS} />
      <ChecksCard checks={d.checks} service={d.service.id} environments={envs} canEdit={canEdit} />
      <HeartbeatsCard
        heartbeats={d.heartbeats}
        service={d.service.id}
        environments={envs}
        canEdit={canEdit}
        pingBase={pingBase}
      />
      <ScrapeTargetsCard service={d.service} environments={envs} canEdit={canEdit} refreshMs={LIVE_MS} />
      <div className="grid gap-6 xl:grid-cols-2">
        <EventsCard detail={d} />
        <InstancesCard service={slug} refreshMs={LIVE_MS} />
      </div>
    </div>
  );
}
