'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { useTRPC } from '~/trpc/react';
import { RecentChangesCard, ServicesByStateCard } from './overview-state-cards';
import { EnvironmentsCard, SystemCard } from './overview-system-cards';

/** How often the overview re-reads; fast enough to notice an outage. */
const REFRESH_MS = 5_000;

/**
 * What an operator opens the console for, most urgent first: services not up, then what changed. Firing alerts,
 * open incidents and recent deployments get their own section here as those domains arrive.
 */
export function OverviewView() {
  const trpc = useTRPC();
  const overview = useSuspenseQuery({ ...trpc.overview.get.queryOptions(), refetchInterval: REFRESH_MS });
  const info = useSuspenseQuery({ ...trpc.system.info.queryOptions(), refetchInterval: REFRESH_MS });
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());

  return (
    <ConsolePage
      title="Overview"
      description="Live state of this Sextant installation, refreshed every 5 s."
      width="medium"
      refreshed={[overview, info, environments]}
      refreshTestId="overview-error"
    >
      <ServicesByStateCard overview={overview.data} />
      <RecentChangesCard events={overview.data.events} />
      <SystemCard info={info.data} />
      <EnvironmentsCard environments={environments.data} />
    </ConsolePage>
  );
}
