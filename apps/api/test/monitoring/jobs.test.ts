import type { Database } from '@sextant/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner, monitoringJobs } from '../../src/monitoring/jobs';
import { insertCheck, monitoringDb } from './fixtures';

let db: Database;
const jobs = monitoringJobs({ resultsDays: 30, rollupDays: 400 });
const job = (name: string) => jobs.find((j) => j.name === name)!;

beforeAll(async () => {
  db = await monitoringDb();
});
afterAll(async () => {
  await db?.close();
});

/** The test's clock, read once: runs placed from it stay in the hour it names. */
let now = 0;
let runs = 0;
/** One stored run `minutesAgo` before `now`; a millisecond apart from the others, as a check's slots are unique. */
async function run(checkId: string, minutesAgo: number, ok: boolean, latencyMs: number) {
  const at = new Date(now - minutesAgo * 60_000 - runs++);
  await db.sql`
    insert into check_results (check_id, scheduled_at, started_at, ok, latency_ms, instance)
    values (${checkId}, ${at}, ${at}, ${ok}, ${latencyMs}, 'test')`;
}

describe('maintenance jobs', () => {
  it('roll recent runs up by hour, drop old runs and rollups, and expire lapsed instances', async () => {
    const runner = new JobRunner(db.sql, jobs, pino({ level: 'silent' }));
    const { id, serviceId } = await insertCheck(db, { url: 'http://127.0.0.1:9/' });
    now = Date.now();
    const hour = new Date(Math.floor(now / 3_600_000) * 3_600_000);
    const minutesIntoHour = Math.floor((now - hour.getTime()) / 60_000);
    for (const [ok, latency] of [
      [true, 10],
      [true, 30],
      [false, 999],
    ] as const)
      await run(id, minutesIntoHour, ok, latency);
    await run(id, 31 * 24 * 60, true, 5); // past the 30-day retention

    await runner.runOnce(job('checks.rollup'));
    const [rollup] = await db.sql<
      { count: number; failures: number; latency_min: number; latency_max: number }[]
    >`
      select count, failures, latency_min, latency_max from check_rollups_hourly where check_id = ${id} and hour = ${hour}`;
    expect(rollup).toEqual({ count: 3, failures: 1, latency_min: 10, latency_max: 30 });

    await db.sql`insert into check_rollups_hourly (check_id, hour, count, failures)
                 values (${id}, ${new Date(Date.now() - 401 * 86_400_000)}, 1, 0)`;
    const [env] = await db.sql<{ id: string }[]>`select environment_id as id from checks where id = ${id}`;
    await db.sql`
      insert into instances (service_id, environment_id, host, port, ttl_seconds, expires_at)
      values (${serviceId}, ${env!.id}, 'gone.local', 80, 10, now() - interval '1 second'),
             (${serviceId}, ${env!.id}, 'live.local', 80, 10, now() + interval '1 minute')`;

    await runner.runOnce(job('retention'));
    await runner.runOnce(job('instances.expire'));
    const [left] = await db.sql<{ runs: number; rollups: number }[]>`
      select (select count(*)::int from check_results where check_id = ${id}) as runs,
             (select count(*)::int from check_rollups_hourly where check_id = ${id}) as rollups`;
    expect(left).toEqual({ runs: 3, rollups: 1 });
    const hosts = await db.sql<
      { host: string }[]
    >`select host from instances where service_id = ${serviceId}`;
    expect(hosts.map((h) => h.host)).toEqual(['live.local']);
  });
});
