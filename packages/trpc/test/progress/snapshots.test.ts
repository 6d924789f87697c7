import { eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAllSnapshots, refreshProjectSnapshot } from '../../src/services/progress/snapshots';
import { createFixture, type Fixture } from '../fixtures';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-10T12:00:00Z');

async function project(name: string, defaultEstimate = 1) {
  const [p] = await f.database.db
    .insert(schema.projects)
    .values({ name, startDate: '2026-03-01', defaultEstimate })
    .returning();
  return p!;
}
const rows = (projectId: string) =>
  f.database.db
    .select()
    .from(schema.projectSnapshots)
    .where(eq(schema.projectSnapshots.projectId, projectId))
    .orderBy(schema.projectSnapshots.day);

describe('daily snapshots (requirement 16)', () => {
  it('moving an item changes today, not history', async () => {
    const p = await project('snap history', 2);
    const db = f.database.db;
    const [a] = await db
      .insert(schema.workItems)
      .values([
        { projectId: p.id, title: 'a', estimate: 5, status: 'done' },
        { projectId: p.id, title: 'b', estimate: null, status: 'todo' },
        { projectId: p.id, title: 'c', estimate: 8, status: 'cancelled' },
      ])
      .returning();
    await refreshProjectSnapshot(db, p.id, T0);
    // Day 2: the done item is reopened and a new item arrives; day 1 must keep what it said.
    await db.update(schema.workItems).set({ status: 'in_progress' }).where(eq(schema.workItems.id, a!.id));
    await db.insert(schema.workItems).values({ projectId: p.id, title: 'd', estimate: 3, status: 'todo' });
    await refreshProjectSnapshot(db, p.id, T0 + DAY);
    // Later the same day 2: a second change rewrites today only.
    await db.update(schema.workItems).set({ status: 'done' }).where(eq(schema.workItems.id, a!.id));
    await refreshProjectSnapshot(db, p.id, T0 + DAY + 3_600_000);
    const got = (await rows(p.id)).map(
      ({ day, scopeCount, doneCount, scopePoints, donePoints, unestimatedCount }) => ({
        day,
        scopeCount,
        doneCount,
        scopePoints,
        donePoints,
        unestimatedCount,
      }),
    );
    expect(got).toEqual([
      { day: '2026-03-10', scopeCount: 2, doneCount: 1, scopePoints: 7, donePoints: 5, unestimatedCount: 1 },
      { day: '2026-03-11', scopeCount: 3, doneCount: 1, scopePoints: 10, donePoints: 5, unestimatedCount: 1 },
    ]);
  });

  it('the job writes a row for every non-archived project, including empty ones, and skips archived ones', async () => {
    const live = await project('snap live');
    const archived = await project('snap archived');
    await f.database.db
      .update(schema.projects)
      .set({ archivedAt: new Date(T0) })
      .where(eq(schema.projects.id, archived.id));
    await refreshAllSnapshots(f.database.db, T0 + 5 * DAY);
    expect(await rows(live.id)).toMatchObject([{ day: '2026-03-15', scopeCount: 0, scopePoints: 0 }]);
    expect(await rows(archived.id)).toEqual([]);
  });
});
