'use client';

import { toast } from '@sextant/ui';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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

/**
 * A monitor dialog's open state, and `saved` for its mutations' onSuccess: say what was saved, close the
 * dialog at once, then re-read the service's data.
 */
export function useMonitorDialog() {
  const refresh = useRefreshServices();
  const [open, setOpen] = useState(false);
  const saved =
    <R>(says: (row: R) => string) =>
    (row: R) => {
      toast.success(says(row));
      setOpen(false);
      return refresh();
    };
  return { open: [open, setOpen] as const, saved };
}
