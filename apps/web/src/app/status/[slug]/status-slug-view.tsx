'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { STATUS_REFRESH_MS, StatusPageBody } from '../status-page-body';

export function StatusSlugView({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const page = useSuspenseQuery(
    trpc.statusPages.view.queryOptions({ slug }, { refetchInterval: STATUS_REFRESH_MS }),
  );
  return <StatusPageBody view={page.data} stale={!!page.error} />;
}
