'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { STATUS_REFRESH_MS, StatusPageBody } from './status-page-body';

/** Every public service in every environment (`status.get`), rendered like any status page. */
export function StatusView() {
  const trpc = useTRPC();
  const status = useSuspenseQuery(
    trpc.status.get.queryOptions(undefined, { refetchInterval: STATUS_REFRESH_MS }),
  );
  return <StatusPageBody view={status.data.page} stale={!!status.error} />;
}
