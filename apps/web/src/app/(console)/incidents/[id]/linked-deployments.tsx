'use client';

import { Badge } from '@sextant/ui';
import Link from 'next/link';
import { SectionCard } from '~/components/section-card';
import { LocalTime } from '~/lib/local-time';
import type { IncidentDetail } from './incident-detail-view';
import { RollbackLast } from './rollback-last';

/** "12 min", "3 h 5 min", "2 d 4 h": how long before the incident's start. */
export function minutesText(minutes: number) {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 ? `${h} h ${minutes % 60} min` : `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}

/**
 * The deployment that went out last before the incident started (linked automatically on opening, or by a
 * maintainer) with what became of it, and every linked deployment; each links to its service page, the board to
 * /releases.
 */
export function LinkedDeployments({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const last = incident.lastDeployment;
  return (
    <SectionCard title="Deployments" testId="incident-deployments">
      <div className="flex flex-col gap-3 text-sm">
        <p data-testid="incident-last-deployment">
          {last ? (
            <>
              Last deployment before this incident started:{' '}
              <Link className="font-medium underline" href={`/services/${last.serviceSlug}`}>
                v{last.version.replace(/^v/i, '')} to {last.environment}
              </Link>{' '}
              {minutesText(last.minutesBefore)} earlier{last.by ? ` (by ${last.by})` : ''}
              {last.state === 'succeeded' ? '' : `, now ${last.state.replace('_', ' ')}`}.{' '}
              <Link className="text-muted-foreground underline" href="/releases">
                Release board
              </Link>
            </>
          ) : (
            <span className="text-muted-foreground">
              No deployment went out before this incident started.
            </span>
          )}
        </p>
        {last && canEdit ? (
          <div>
            <RollbackLast deploymentId={last.deploymentId} />
          </div>
        ) : null}
        {incident.deployments.length > 0 ? (
          <ul className="flex flex-col gap-1">
            {incident.deployments.map((d) => (
              <li key={d.deploymentId} data-testid="incident-deployment" className="flex flex-wrap gap-2">
                <Link className="font-medium underline" href={`/services/${d.serviceSlug}`}>
                  {d.serviceName} {d.version}
                </Link>
                <span className="text-muted-foreground">in {d.environment}</span>
                <Badge tone="neutral">{d.state.replace('_', ' ')}</Badge>
                <span className="text-muted-foreground">
                  {d.finishedAt ? <LocalTime value={d.finishedAt} /> : 'not finished'} ·{' '}
                  {d.how === 'auto' ? 'linked on opening' : 'linked by hand'}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </SectionCard>
  );
}
