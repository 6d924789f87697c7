'use client';

import { Button, TableCell, toast } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { useRefreshServices } from './use-refresh';

type Kind = 'check' | 'heartbeat' | 'scrapeTarget';

interface Monitor {
  id: string;
  name: string;
  paused: boolean;
}

const WHAT: Record<Kind, string> = {
  check: 'check',
  heartbeat: 'heartbeat monitor',
  scrapeTarget: 'scrape target',
};
const DELETE_EFFECT: Record<Kind, string> = {
  check:
    "Its results and state history are removed with it, so the service's uptime no longer includes them.",
  heartbeat:
    "Its results and state history are removed with it, so the service's uptime no longer includes them.",
  scrapeTarget:
    'Scraping stops; the samples already stored stay in the metrics store until retention drops them.',
};

/** Pause/Resume for a check or heartbeat; paused time is left out of uptime. Disabled until hydrated: an earlier click would do nothing. */
function PauseButton({ kind, monitor }: { kind: Kind; monitor: Monitor }) {
  const trpc = useTRPC();
  const refresh = useRefreshServices();
  const hydrated = useHydrated();
  const options = {
    onSuccess: (row: { paused: boolean }) =>
      toast.success(`${row.paused ? 'Paused' : 'Resumed'} “${monitor.name}”.`),
    onError: (error: { message: string }) => toast.error(error.message),
    onSettled: () => refresh(),
  };
  const mutations = {
    check: useMutation(trpc.checks.setPaused.mutationOptions(options)),
    heartbeat: useMutation(trpc.heartbeats.setPaused.mutationOptions(options)),
    scrapeTarget: useMutation(trpc.scrapeTargets.setPaused.mutationOptions(options)),
  };
  const mutation = mutations[kind];
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={!hydrated || mutation.isPending}
      onClick={() => mutation.mutate({ id: monitor.id, paused: !monitor.paused })}
    >
      {monitor.paused ? 'Resume' : 'Pause'}
    </Button>
  );
}

/** Delete after a confirmation; results and history of the monitor go with it. */
function DeleteMonitorButton({ kind, monitor }: { kind: Kind; monitor: Monitor }) {
  const trpc = useTRPC();
  const refresh = useRefreshServices();
  const [open, setOpen] = useState(false);
  const options = {
    onSuccess: () => {
      toast.success(`Deleted “${monitor.name}”.`);
      setOpen(false);
    },
    onSettled: () => refresh(),
  };
  const mutations = {
    check: useMutation(trpc.checks.delete.mutationOptions(options)),
    heartbeat: useMutation(trpc.heartbeats.delete.mutationOptions(options)),
    scrapeTarget: useMutation(trpc.scrapeTargets.delete.mutationOptions(options)),
  };
  const mutation = mutations[kind];
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete ${WHAT[kind]} “${monitor.name}”?`}
      description={DELETE_EFFECT[kind]}
      action={mutation}
      onConfirm={() => mutation.mutate({ id: monitor.id })}
    />
  );
}

/** A monitor row's last cell for those who may change it: its Edit dialog, Pause/Resume and Delete. */
export function MonitorActionsCell({
  kind,
  monitor,
  edit,
}: {
  kind: Kind;
  monitor: Monitor;
  edit: React.ReactNode;
}) {
  return (
    <TableCell>
      <div className="flex justify-end gap-2">
        {edit}
        <PauseButton kind={kind} monitor={monitor} />
        <DeleteMonitorButton kind={kind} monitor={monitor} />
      </div>
    </TableCell>
  );
}
