import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner, monitoringJobs } from '../../src/monitoring/jobs';
import { useTestApi } from '../helpers';
import { until } from './fixtures';

const api = useTestApi();
let jobs: JobRunner;

beforeAll(() => {
  jobs = new JobRunner(
    api.sql as never,
    monitoringJobs({ resultsDays: 30, rollupDays: 400 }),
    pino({ level: 'silent' }),
  );
  jobs.start();
});
// Registered after useTestApi's, so it runs before the server and its pool close.
afterAll(async () => {
  await jobs?.stop();
});

const state = async (id: string) =>
  (await api.sql<{ status: string }[]>`select status from heartbeats where id = ${id}`)[0]!.status;
const ping = (path: string, method = 'GET') => fetch(`${api.baseUrl}${path}`, { method });

describe('heartbeat monitors', () => {
  it('go DOWN when pings stop, DOWN at once on /fail, UP on a ping; unknown tokens change nothing', async () => {
    const { client } = await api.asUser('maintainer');
    const service = await client.services.create.mutate({ name: 'Nightly export' });
    const hb = await client.heartbeats.create.mutate({
      service: service.slug,
      heartbeat: { name: 'export job', periodSeconds: 2, graceSeconds: 1, timezone: 'UTC' },
    });
    expect(hb.token).toMatch(/^[A-Za-z0-9_-]{24}$/);

    expect((await ping(`/ping/${hb.token}`)).status).toBe(200);
    expect(await state(hb.id)).toBe('up');

    // No ping for longer than period + grace.
    const stoppedAt = Date.now();
    await until(
      () => state(hb.id),
      (s) => s === 'down',
      6_000,
    );
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(3_000);

    const up = await ping(`/ping/${hb.token}`, 'POST');
    expect(await up.json()).toMatchObject({ ok: true, status: 'up' });

    // A run reported as failed is DOWN immediately, before any lateness.
    await ping(`/ping/${hb.token}/start`);
    await new Promise((r) => setTimeout(r, 50));
    const failed = await ping(`/ping/${hb.token}/fail`);
    expect(await failed.json()).toMatchObject({ ok: true, status: 'down' });
    expect(await state(hb.id)).toBe('down');

    // Exit codes: 0 is success, anything else a failure.
    expect(await (await ping(`/ping/${hb.token}/0`)).json()).toMatchObject({ status: 'up' });
    expect(await (await ping(`/ping/${hb.token}/3`)).json()).toMatchObject({ status: 'down' });
    await ping(`/ping/${hb.token}/start`);
    const timed = (await (await ping(`/ping/${hb.token}`)).json()) as { durationMs?: number };
    expect(timed.durationMs).toBeGreaterThanOrEqual(0);

    const events = await api.sql<{ from_status: string; to_status: string; cause: string }[]>`
      select from_status, to_status, cause from monitor_events where heartbeat_id = ${hb.id} order by at, id`;
    expect(events.map((e) => `${e.from_status}>${e.to_status}`)).toEqual([
      'unknown>up',
      'up>down',
      'down>up',
      'up>down',
      'down>up',
      'up>down',
      'down>up',
    ]);
    expect(events[1]!.cause).toBe('no ping within period + grace');
    expect(events[3]!.cause).toBe('failure reported');
    expect(events[5]!.cause).toBe('failure reported (exit code 3)');

    // Time-based uptime from those changes: some seconds down, some up, the rest before the first ping.
    const month = new Date().toISOString().slice(0, 7);
    const uptime = await client.checks.uptime.query({ id: hb.id, month });
    expect(uptime['24h']!.downSeconds).toBeGreaterThan(0);
    expect(uptime['24h']!.upSeconds).toBeGreaterThan(0);
    expect(uptime['24h']!.uptime).toBeGreaterThan(0);
    expect(uptime['24h']!.uptime).toBeLessThan(1);
    expect(uptime[month]!.downSeconds).toBeCloseTo(uptime['24h']!.downSeconds, 1);

    const before = await api.sql`select count(*)::int as pings from heartbeat_pings`;
    for (const path of [
      '/ping/unknown-token-unknown-token',
      '/ping/unknown-token-unknown-token/fail',
      '/ping/x',
    ]) {
      const res = await ping(path);
      expect(res.status).toBe(404);
    }
    const after = await api.sql`select count(*)::int as pings from heartbeat_pings`;
    expect(after[0]!.pings).toBe(before[0]!.pings);
  }, 30_000);
});
