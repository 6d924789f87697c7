'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

/** After a change, re-read every services query (detail, list, uptime, latency, scrape targets) instead of waiting for the poll. */
export function useRefreshServices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.services.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.scrapeTargets.pathKey() }),
    ]);
}
