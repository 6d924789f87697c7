'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { useSuspenseQuery } from '@tanstack/react-query';
import { ConsolePage } from '~/components/page-header';
import { useTRPC } from '~/trpc/react';
import { ArchivedNote } from '../archived-note';
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
  // An archived project refuses every write but unarchive, delete and share-link revoke (PROJECT_ARCHIVED).
  const canChange = canWrite && !p.archivedAt;
  return (
    <ConsolePage
      title="Project settings"
      description={`${p.name}${p.archivedAt ? ' (archived)' : ''}: plan, people, services, milestones and sharing.`}
      width="medium"
      refreshed={[project]}
    >
      <ArchivedNote archivedAt={p.archivedAt} />
      <ProjectCard project={p} people={people.data} canWrite={canChange} />
      <MilestonesCard projectId={projectId} canWrite={canChange} />
      <UpdatesCard projectId={projectId} canWrite={canChange} />
      <MembersCard project={p} people={people.data} canWrite={canChange} />
      <DigestCard project={p} canWrite={canChange} />
      <ServicesCard project={p} canWrite={canChange} />
      {canWrite ? <ShareLinksCard projectId={projectId} canCreate={!p.archivedAt} /> : null}
      {canWrite ? <LifecycleCard project={p} isAdmin={roleAtLeast(role, 'admin')} /> : null}
    </ConsolePage>
  );
}
