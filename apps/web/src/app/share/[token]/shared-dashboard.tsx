'use client';

import { PrintButton } from '~/components/projects/print-button';
import { ProjectDashboard } from '~/components/projects/project-dashboard';
import type { DashboardData } from '~/lib/projects';

/** The read-only dashboard for someone holding a share link: the same components, Print the only control. */
export function SharedDashboard({ data }: { data: DashboardData }) {
  return (
    <div className="flex flex-col gap-6">
      <ProjectDashboard data={data} actions={<PrintButton />} />
      <p className="mx-auto max-w-7xl text-xs text-muted-foreground" data-testid="share-footer">
        A read-only view shared from Sextant. It works until the link expires or is revoked; figures are as of{' '}
        {data.today} (UTC).
      </p>
    </div>
  );
}
