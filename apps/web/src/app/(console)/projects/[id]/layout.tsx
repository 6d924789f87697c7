import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireSession } from '~/server/session';
import { ProjectTabs } from './project-tabs';

/** Every project page: the way back and the tabs, none of which print (the dashboard prints as a report). */
export default async function ProjectLayout({
  params,
  children,
}: {
  params: Promise<{ id: string }>;
  children: React.ReactNode;
}) {
  await requireSession('viewer');
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  return (
    <div className="flex flex-col gap-4">
      <div
        className="flex flex-wrap items-center justify-between gap-3 print:hidden"
        data-testid="project-nav"
      >
        <Link href="/projects" className="text-sm text-muted-foreground hover:underline">
          ← Projects
        </Link>
        <ProjectTabs id={id} />
      </div>
      {children}
    </div>
  );
}
