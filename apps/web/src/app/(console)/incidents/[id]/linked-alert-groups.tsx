'use client';

import { Badge, Button, FieldError, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { SectionCard } from '~/components/section-card';
import { formError } from '~/lib/field-errors';
import { nextStatuses } from '~/lib/incidents';
import { LocalTime, useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import type { IncidentDetail } from './incident-detail-view';

/**
 * The alert groups a route's incident option linked to the incident (issue 15, Alerting II), each with its alerts'
 * state now; alerts link to their page.
 */
export function LinkedAlertGroups({ groups }: { groups: IncidentDetail['alertGroups'] }) {
  if (groups.length === 0) return null;
  return (
    <SectionCard title="Linked alert groups" testId="incident-alert-groups">
      <ul className="flex flex-col gap-3 text-sm">
        {groups.map((g) => (
          <li key={`${g.routeId}\u0000${g.groupKey}`} data-testid="incident-alert-group">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs">{g.groupKey}</span>
              <Badge tone={g.firing > 0 ? 'danger' : 'success'} data-testid="incident-alert-group-state">
                {g.firing} firing · {g.resolved} resolved
              </Badge>
            </div>
            <p className="text-xs text-muted-foreground">
              Route {g.routeId}, linked <LocalTime value={g.linkedAt} />
            </p>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {g.alerts.map((a) => (
                <li key={a.fingerprint}>
                  <Link href={`/alerts/${a.fingerprint}`} className="hover:underline">
                    {a.alertname ?? a.fingerprint}
                  </Link>{' '}
                  <span className="text-xs text-muted-foreground">{a.resolved ? 'resolved' : 'firing'}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </SectionCard>
  );
}

/** "All linked alerts are resolved": a suggestion only, resolved through the same transition as the actions. */
export function ResolveSuggestion({ incident: i, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A click before hydration would do nothing.
  const hydrated = useHydrated();
  const transition = useMutation(
    trpc.incidents.transition.mutationOptions({
      onSuccess: () => toast.success('Incident resolved.'),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() }),
    }),
  );
  if (!i.suggestResolve) return null;
  const canResolve = canEdit && nextStatuses(i.status).includes('resolved');
  const message = formError(transition.error);
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-3 rounded-md border border-success/40 bg-success/10 p-3 text-sm"
      data-testid="incident-suggest-resolve"
    >
      <span>All linked alerts are resolved — resolve this incident?</span>
      {canResolve ? (
        <Button
          size="sm"
          disabled={!hydrated || transition.isPending}
          onClick={() => transition.mutate({ id: i.id, status: 'resolved' })}
        >
          Resolve
        </Button>
      ) : null}
      {message ? <FieldError>{message}</FieldError> : null}
    </div>
  );
}
