import type { ChangeContext, Identity } from '../context';
import { createMilestone } from '../services/projects/milestones';
import { addProjectMember, createProject } from '../services/projects/projects';
import { createShareLink } from '../services/projects/share-links';

type Ctx = ChangeContext & { identity: Identity };

/** A project started 30 days ago, due in 60, made through its service. */
export async function fixtureProject(ctx: Ctx, name: string) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const row = await createProject(ctx, {
    name,
    startDate: day(-30),
    targetDate: day(60),
    defaultEstimate: 1,
    riskGapPercent: 20,
    stallDays: 14,
  });
  return { id: row.id };
}

export async function fixtureMilestone(ctx: Ctx, name: string) {
  const project = await fixtureProject(ctx, `${name} project`);
  const row = await createMilestone(ctx, project.id, { name });
  return { id: row.id, projectId: project.id };
}

export async function fixtureShareLink(ctx: Ctx, name: string) {
  const project = await fixtureProject(ctx, name);
  const { token, link } = await createShareLink(ctx, { projectId: project.id, expiresInHours: 24 });
  return { id: link.id, projectId: project.id, token };
}

export async function fixtureProjectMember(ctx: Ctx, name: string, userId: string) {
  const project = await fixtureProject(ctx, name);
  await addProjectMember(ctx, project.id, { userId, digest: true });
  return { projectId: project.id, userId };
}
