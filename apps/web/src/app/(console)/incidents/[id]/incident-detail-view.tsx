'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge } from '@sextant/ui';
import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import { ServiceFlagsCard } from '~/components/service-flags-card';
import { formatMs, IMPACT_LABEL, SEVERITY_TONE, STATUS_LABEL, STATUS_TONE } from '~/lib/incidents';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { IncidentActions } from './incident-actions';
import { LinkedAlertGroups, ResolveSuggestion } from './linked-alert-groups';
import { LinkedDeployments } from './linked-deployments';
import { PostUpdateForm } from './post-update-form';
import { Postmortem } from './postmortem';
import { Timeline } from './timeline';

export type IncidentDetail = RouterOutputs['incidents']['get'];

/** Responders keep the page open: new updates, linked alerts and the resolve suggestion arrive without a reload. */
const LIVE_MS = 5_000;

export function IncidentDetailView({ id, role }: { id: string; role: Role }) {
  const trpc = useTRPC();
  const incident = useSuspenseQuery(trpc.incidents.get.queryOptions({ id }, { refetchInterval: LIVE_MS }));
  const i = incident.data;
  const canEdit = roleAtLeast(role, 'maintainer');

  return (
    <ConsolePage
      title={i.title}
      description="Status, impact, response times and what has been said, newest first."
      back={{ href: '/incidents', label: 'Incidents' }}
      refreshed={[incident]}
      width="medium"
    >
      <ResolveSuggestion incident={i} canEdit={canEdit} />
      <SectionCard testId="incident-header">
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[i.status]} data-testid="incident-status">
              {STATUS_LABEL[i.status]}
            </Badge>
            <Badge tone={SEVERITY_TONE[i.severity]} data-testid="incident-severity">
              {i.severity}
            </Badge>
            <span className="text-sm text-muted-foreground">
              Commander:{' '}
              <span data-testid="incident-commander">
                {i.commanderId ? (i.people[i.commanderId] ?? 'a former user') : 'none'}
              </span>
            </span>
          </div>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
            <Time label="Started" value={i.startedAt} />
            <Time label="Detected" value={i.detectedAt} />
            <Time label="Acknowledged" value={i.acknowledgedAt} testId="incident-acknowledged" />
            <Time label="Mitigated" value={i.mitigatedAt} />
            <Time label="Resolved" value={i.resolvedAt} testId="incident-resolved" />
            <div>
              <dt className="text-muted-foreground">To acknowledge · to resolve</dt>
              <dd className="tabular-nums">
                {formatMs(i.timeToAcknowledgeMs)} · {formatMs(i.timeToResolveMs)}
              </dd>
            </div>
          </dl>
          {canEdit ? <IncidentActions incident={i} /> : null}
        </div>
      </SectionCard>
      <SectionCard title="Affected services" testId="incident-impacts">
        {i.impacts.length === 0 ? (
          <p className="text-sm text-muted-foreground">No services are listed as affected.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {i.impacts.map((m) => (
              <li key={m.id} data-testid="incident-impact">
                <span className="font-medium">{m.serviceName}</span>{' '}
                <span className="text-muted-foreground">in {m.environmentName}:</span>{' '}
                {IMPACT_LABEL[m.impact]}
              </li>
            ))}
          </ul>
        )}
      </SectionCard>
      <LinkedDeployments incident={i} canEdit={canEdit} />
      <ServiceFlagsCard
        services={i.impacts.map((m) => m.serviceId)}
        start={i.startedAt}
        startLabel="this incident started"
        canKill={canEdit}
      />
      <LinkedAlertGroups groups={i.alertGroups} />
      {canEdit ? <PostUpdateForm id={i.id} /> : null}
      <Timeline updates={i.updates} people={i.people} />
      <Postmortem incident={i} canEdit={canEdit} />
    </ConsolePage>
  );
}

function Time({ label, value, testId }: { label: string; value: Date | null; testId?: string }) {
  return (
    <div>
      <dt className="text-muted-foreground">{label}</dt>
      <dd data-testid={testId}>
        <LocalTime value={value} />
      </dd>
    </div>
  );
}
