import { type Database, schema } from '@sextant/db';

/**
 * A project with one milestone, inserted as rows: slice A's projects service owns these tables, and the work item
 * tests and RBAC inputs need only a project to hang items on.
 */
export async function insertProject(db: Database['primary'], name: string) {
  const [project] = await db
    .insert(schema.projects)
    .values({ name, startDate: '2026-01-01', targetDate: '2026-12-31' })
    .returning();
  const [milestone] = await db
    .insert(schema.milestones)
    .values({ projectId: project!.id, name: 'M1', dueDate: '2026-06-30', position: 1 })
    .returning();
  return { id: project!.id, milestoneId: milestone!.id, milestoneName: milestone!.name };
}
