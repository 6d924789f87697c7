'use client';

import { Button, FieldError, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { formError } from '~/lib/field-errors';
import { nextStatuses, STATUS_LABEL, transitionLabel } from '~/lib/incidents';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import type { IncidentDetail } from './incident-detail-view';

/** Acknowledge while unacknowledged, and one button per move the transition table allows from the status. */
export function IncidentActions({ incident: i }: { incident: IncidentDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A click before hydration would do nothing.
  const hydrated = useHydrated();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  const acknowledge = useMutation(
    trpc.incidents.acknowledge.mutationOptions({
      onSuccess: () => toast.success('Incident acknowledged.'),
      onSettled: refresh,
    }),
  );
  const transition = useMutation(
    trpc.incidents.transition.mutationOptions({
      onSuccess: (r) => toast.success(`Incident ${STATUS_LABEL[r.status].toLowerCase()}.`),
      onSettled: refresh,
    }),
  );
  const pending = !hydrated || acknowledge.isPending || transition.isPending;
  const message = formError(acknowledge.error) ?? formError(transition.error);

  return (
    <div className="flex flex-col gap-2" data-testid="incident-actions">
      <div className="flex flex-wrap gap-2">
        {i.acknowledgedAt ? null : (
          <Button disabled={pending} onClick={() => acknowledge.mutate({ id: i.id })}>
            Acknowledge
          </Button>
        )}
        {nextStatuses(i.status).map((to) => (
          <Button
            key={to}
            variant="outline"
            disabled={pending}
            onClick={() => transition.mutate({ id: i.id, status: to })}
          >
            {transitionLabel(i.status, to)}
          </Button>
        ))}
      </div>
      {message ? <FieldError>{message}</FieldError> : null}
    </div>
  );
}
