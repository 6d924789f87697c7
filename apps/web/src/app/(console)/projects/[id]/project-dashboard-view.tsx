'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { PrintButton } from '~/components/projects/print-button';
import { ProjectDashboard } from '~/components/projects/project-dashboard';
import { RefreshError } from '~/components/refresh-error';
import { useTRPC } from '~/trpc/react';
import { SubscribeToggle } from './subscribe-toggle';

/** Figures move with items and snapshots; a minute keeps an open dashboard honest. */
const REFRESH_MS = 60_000;

/** One project's stakeholder dashboard in the console: read-only, plus one's own digest choice and Print. */
export function ProjectDashboardView({ id }: { id: string }) {
  const trpc = useTRPC();
  const progress = useSuspenseQuery(
    trpc.progress.project.queryOptions({ projectId: id }, { refetchInterval: REFRESH_MS }),
  );
  const project = useSuspenseQuery(trpc.projects.get.queryOptions({ id }));
  return (
    <div className="flex flex-col gap-4">
      <RefreshError queries={[progress, project]} />
      <ProjectDashboard
        data={progress.data}
        actions={
          <>
            <SubscribeToggle projectId={id} subscribed={project.data.subscribed} />
            <PrintButton />
          </>
        }
      />
    </div>
  );
}
