'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { useTRPC } from '~/trpc/react';
import { DigestCard } from './digest-card';
import { LifecycleCard } from './lifecycle-card';
import { MembersCard } from './members-card';
import { MilestonesCard } from './milestones-card';
import { ProjectCard } from './project-card';
import { ServicesCard } from './services-card';
import { ShareLinksCard } from './share-links-card';
import { UpdatesCard } from './updates-card';

/** A project's settings; viewers read them, maintainers change them, an admin may delete the project. */
export function SettingsView({ projectId, role }: { projectId: string; role: Role }) {
  const trpc = useTRPC();
  const project = useSuspenseQuery(trpc.projects.get.queryOptions({ id: projectId }));
  const people = useSuspenseQuery(trpc.users.directory.queryOptions());
  const canWrite = roleAtLeast(role, 'maintainer');
  const p = project.data;
  return (
    <ConsolePage
      title="Project settings"
      description={`${p.name}${p.archivedAt ? ' (archived)' : ''}: plan, people, services, milestones and sharing.`}
      width="medium"
      refreshed={[project]}
    >
      <ProjectCard project={p} people={people.data} canWrite={canWrite} />
      <MilestonesCard projectId={projectId} canWrite={canWrite} />
      <UpdatesCard projectId={projectId} canWrite={canWrite} />
      <MembersCard project={p} people={people.data} canWrite={canWrite} />
      <DigestCard project={p} canWrite={canWrite} />
      <ServicesCard project={p} canWrite={canWrite} />
      {canWrite ? <ShareLinksCard projectId={projectId} /> : null}
      {canWrite ? <LifecycleCard project={p} isAdmin={roleAtLeast(role, 'admin')} /> : null}
    </ConsolePage>
  );
}
