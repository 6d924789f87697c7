import { type Database, eq, schema } from '@sextant/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestJobs, type Job, JobRunner, progressJobs } from '../../src/monitoring/jobs';
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

describe('progress.digests job (issue 17 point 4)', () => {
  it('queues nothing before Monday 08:00 UTC, then the week once, whichever of 3 instances runs it', async () => {
    const [integration] = await db.sql<{ id: string }[]>`
      with r as (insert into receivers (name) values ('digest job mail') returning id)
      insert into receiver_integrations (receiver_id, position, kind, settings)
      select r.id, 0, 'email', ${JSON.stringify({
        kind: 'email',
        to: ['list@example.test'],
        from: 'sextant@example.test',
        smarthost: { host: 'smtp.example.invalid', port: 587 },
        requireTls: true,
        timeoutMs: 2000,
      })}::jsonb from r returning id`;
    const [user] = await db.sql<{ id: string }[]>`
      insert into users (id, email, role) values ('digest-job-user', 'digest-job@example.test', 'viewer') returning id`;
    const [p] = await db.db
      .insert(schema.projects)
      .values({ name: 'digest job project', startDate: '2026-01-01', digestIntegrationId: integration!.id })
      .returning();
    await db.db.insert(schema.projectMembers).values({ projectId: p!.id, userId: user!.id, digest: true });
    let now = Date.parse('2026-11-23T07:59:00Z');
    let delivered = 0;
    const [job] = digestJobs(
      db.db,
      'https://console.example.test',
      () => delivered++,
      () => now,
    );
    expect(job!.name).toBe('progress.digests');
    const runners = [1, 2, 3].map(() => new JobRunner(db.sql, [job!], pino({ level: 'silent' })));
    const rows = () =>
      db.sql`select payload->>'to' as to from notification_outbox where route_id = ${`project-digest:${p!.id}`}`;
    await runners[0]!.runOnce(job!);
    expect(await rows()).toHaveLength(0);
    now = Date.parse('2026-11-23T08:00:00Z');
    await Promise.all(runners.map((r) => r.runOnce(job!)));
    // A tick later in the week (every instance was down on Monday) finds the week done.
    now = Date.parse('2026-11-26T12:00:00Z');
    await runners[1]!.runOnce(job!);
    expect(await rows()).toEqual([{ to: 'digest-job@example.test' }]);
    expect(delivered).toBe(1);
  });
});
