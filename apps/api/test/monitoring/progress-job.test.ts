import { type Database, eq, schema } from '@sextant/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, JobRunner, progressJobs } from '../../src/monitoring/jobs';
import { monitoringDb } from './fixtures';

let db: Database;
beforeAll(async () => {
  db = await monitoringDb();
});
afterAll(async () => {
  await db?.close();
});

describe('progress.snapshots job (issue 17 point 2)', () => {
  it('3 instances scheduling it at once run it once, and it writes today for each live project', async () => {
    const [p] = await db.db
      .insert(schema.projects)
      .values({ name: 'job project', startDate: '2026-01-01' })
      .returning();
    await db.db.insert(schema.workItems).values([
      { projectId: p!.id, title: 'a', estimate: 3, status: 'done' },
      { projectId: p!.id, title: 'b', estimate: null, status: 'todo' },
    ]);
    const [job] = progressJobs(db.db);
    expect(job!.name).toBe('progress.snapshots');
    // The first run holds the job's lock until released, so the other two find it taken while it runs.
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const held: Job = {
      ...job!,
      run: async (sql) => {
        runs += 1;
        started();
        await gate;
        await job!.run(sql);
      },
    };
    const runners = [1, 2, 3].map(() => new JobRunner(db.sql, [held], pino({ level: 'silent' })));
    const first = runners[0]!.runOnce(held);
    await running;
    await Promise.all([runners[1]!.runOnce(held), runners[2]!.runOnce(held)]);
    release();
    await first;
    expect(runs).toBe(1);
    const rows = await db.db
      .select()
      .from(schema.projectSnapshots)
      .where(eq(schema.projectSnapshots.projectId, p!.id));
    expect(rows).toMatchObject([
      {
        day: new Date().toISOString().slice(0, 10),
        scopeCount: 2,
        doneCount: 1,
        scopePoints: 4,
        donePoints: 3,
      },
    ]);
  });
});
