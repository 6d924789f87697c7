import { eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { addDays, dayOf } from '../../src/services/progress/core';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture } from '../fixtures';

let f: Fixture;
let fx: Fixtures;
beforeAll(async () => {
  f = await createFixture();
  fx = await createFixtures(f.database);
});
afterAll(async () => {
  await f?.close();
});

const today = dayOf(Date.now());
const viewer = () => appRouter.createCaller(f.ctx(f.user('viewer')));

/**
 * 10 small done items (2 points) in milestone 1 and 2 large open ones (15 points), one per milestone; a done
 * snapshot history of 5 / 10 / 15 points at the weekly boundaries, so throughput is 5 points a week.
 */
async function seedProject(name: string) {
  const db = f.database.db;
  const [p] = await db
    .insert(schema.projects)
    .values({
      name,
      startDate: addDays(today, -28),
      targetDate: addDays(today, 28),
      ownerUserId: f.users.admin.id,
    })
    .returning();
  const [m1, m2] = await db
    .insert(schema.milestones)
    .values([
      { projectId: p!.id, name: 'Beta', dueDate: addDays(today, -1), position: 0 },
      { projectId: p!.id, name: 'GA', dueDate: addDays(today, 60), position: 1 },
    ])
    .returning();
  const closedAt = new Date();
  await db.insert(schema.workItems).values([
    ...Array.from({ length: 10 }, (_, i) => ({
      projectId: p!.id,
      milestoneId: m1!.id,
      title: `small ${i}`,
      estimate: 2,
      status: 'done' as const,
      closedAt,
      dueDate: addDays(today, -3),
    })),
    {
      projectId: p!.id,
      milestoneId: m1!.id,
      title: 'large a',
      estimate: 15,
      status: 'in_progress' as const,
      dueDate: addDays(today, -2),
    },
    {
      projectId: p!.id,
      milestoneId: m2!.id,
      title: 'large b',
      estimate: 15,
      status: 'todo' as const,
      dueDate: today,
    },
    {
      projectId: p!.id,
      title: 'dropped',
      estimate: 40,
      status: 'cancelled' as const,
      dueDate: addDays(today, -9),
    },
  ]);
  const snap = (back: number, donePoints: number) => ({
    projectId: p!.id,
    day: addDays(today, -back),
    scopeCount: 12,
    doneCount: Math.floor(donePoints / 2),
    scopePoints: 50,
    donePoints,
    unestimatedCount: 0,
  });
  // The 500-day-old row is outside the burn-up window (PROGRESS_LIMITS.burnUpDays) and must not be read.
  await db.insert(schema.projectSnapshots).values([snap(500, 0), snap(21, 5), snap(14, 10), snap(7, 15)]);
  return { project: p!, m1: m1!, m2: m2! };
}

describe('progress.project and progress.portfolio (issue 17 point 3, requirement 17)', () => {
  it('a viewer reads a project: %s, burn-up, prediction range, health with its rule, milestones, services', async () => {
    const { project, m1, m2 } = await seedProject('reads main');
    const incident = await fx.incident();
    const [pro] = await f.database.db
      .select()
      .from(schema.environments)
      .where(eq(schema.environments.name, 'PRO'));
    const [release] = await f.database.db
      .insert(schema.releases)
      .values({ serviceId: incident.serviceId, version: '4.2.0' })
      .returning();
    const finishedAt = new Date(Date.now() - 86_400_000);
    await f.database.db.insert(schema.deployments).values({
      releaseId: release!.id,
      serviceId: incident.serviceId,
      environmentId: pro!.id,
      state: 'succeeded',
      finishedAt,
    });
    await f.database.db
      .insert(schema.projectServices)
      .values({ projectId: project.id, serviceId: incident.serviceId });
    await f.database.db.insert(schema.projectUpdates).values({
      projectId: project.id,
      note: 'Beta slipped a day.',
      health: 'at_risk',
      authorUserId: f.users.admin.id,
    });

    const r = await viewer().progress.project({ projectId: project.id });
    expect(r.percent).toEqual({ byCount: 83, byEstimate: 40 });
    expect(r.totals).toMatchObject({ scopeCount: 12, doneCount: 10, scopePoints: 50, donePoints: 20 });
    expect(r.prediction).toMatchObject({ weekly: [5, 5, 5], remaining: 30, date: addDays(today, 42) });
    expect(r.health.health).toBe('at_risk');
    expect(r.health.rules.map((x) => x.id)).toEqual(['predicted_after_target']);
    expect(r.burnUp.points.map((p) => [p.day, p.scope, p.done])).toEqual([
      [addDays(today, -21), 50, 5],
      [addDays(today, -14), 50, 10],
      [addDays(today, -7), 50, 15],
      [today, 50, 20],
    ]);
    expect(r.burnUp).toMatchObject({ targetDate: addDays(today, 28), predictedDate: addDays(today, 42) });
    expect(r.milestones.map((m) => [m.id, m.byCount, m.byEstimate, m.risk?.id ?? null])).toEqual([
      [m1.id, 90, 57, 'due_passed'],
      [m2.id, 0, 0, null],
    ]);
    expect(r.nextMilestone?.id).toBe(m1.id);
    expect(r.atRisk.map((m) => m.id)).toEqual([m1.id]);
    // Only open items past their due day: done, cancelled and due-today items are not overdue.
    expect(r.overdue).toMatchObject({ total: 1, items: [{ title: 'large a', dueDate: addDays(today, -2) }] });
    expect(r.latestUpdate).toMatchObject({ note: 'Beta slipped a day.', health: 'at_risk' });
    expect(r.services).toHaveLength(1);
    expect(r.services[0]).toMatchObject({
      serviceId: incident.serviceId,
      openIncidents: 1,
      lastProductionDeployment: { at: finishedAt.toISOString(), version: '4.2.0', environment: 'PRO' },
    });
    expect(r.services[0]!.dora?.deploymentFrequency.count).toBe(1);
  });

  it('the portfolio has one row per non-archived project with the same figures', async () => {
    const { project, m1 } = await seedProject('reads portfolio');
    const { project: gone } = await seedProject('reads archived');
    await f.database.db
      .update(schema.projects)
      .set({ archivedAt: new Date() })
      .where(eq(schema.projects.id, gone.id));
    const { items } = await viewer().progress.portfolio();
    expect(items.some((i) => i.project.id === gone.id)).toBe(false);
    const row = items.find((i) => i.project.id === project.id)!;
    expect(row).toMatchObject({
      percent: { byCount: 83, byEstimate: 40 },
      targetDate: addDays(today, 28),
      prediction: { date: addDays(today, 42) },
      atRiskMilestones: 1,
      services: [],
    });
    expect(row.health.rules.map((x) => x.id)).toEqual(['predicted_after_target']);
    expect(row.nextMilestone?.id).toBe(m1.id);
  });

  it('an unknown project is NOT_FOUND', async () => {
    await expect(
      viewer().progress.project({ projectId: '00000000-0000-4000-8000-00000000dead' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
