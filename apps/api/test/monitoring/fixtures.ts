import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database, nextSlot, phaseOffsetMs } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { pino } from 'pino';
import { inject } from 'vitest';
import { CheckScheduler } from '../../src/monitoring/scheduler';
import { allowLoopback } from '../probe/checks';

export type TargetMode = 'healthy' | 'slow' | 'error' | 'hang';

/** A local HTTP target the test flips between behaviours; `close()` makes it refuse connections. */
export async function startTarget() {
  let mode: TargetMode = 'healthy';
  let slowMs = 300;
  const server: Server = createServer((_req, res) => {
    if (mode === 'healthy') return res.end('ok');
    if (mode === 'error') {
      res.statusCode = 500;
      return res.end('boom');
    }
    if (mode === 'slow') return void setTimeout(() => res.end('ok, slowly'), slowMs);
    // hang: never answer
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/health`,
    port,
    set(next: TargetMode, ms?: number) {
      mode = next;
      if (ms) slowMs = ms;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function monitoringDb(): Promise<Database> {
  return createDatabase(await createTestDatabase(inject('adminUrl')), { max: 10 });
}

/** Inserts a service and an HTTP check directly (the router's 10 s minimum interval is too slow for tests). */
export async function insertCheck(
  db: Database,
  o: {
    url: string;
    intervalSeconds?: number;
    timeoutMs?: number;
    latencyThresholdMs?: number | null;
    name?: string;
  },
) {
  const [env] = await db.sql<{ id: string }[]>`select id from environments order by position limit 1`;
  const envId =
    env?.id ??
    (
      await db.sql<{ id: string }[]>`insert into environments (name, position) values ('DEV', 0) returning id`
    )[0]!.id;
  const slug = `svc-${crypto.randomUUID().slice(0, 8)}`;
  const [svc] = await db.sql<
    { id: string }[]
  >`insert into services (name, slug) values (${slug}, ${slug}) returning id`;
  const id = crypto.randomUUID();
  const interval = o.intervalSeconds ?? 1;
  const offset = phaseOffsetMs(id, interval);
  await db.sql`
    insert into checks (id, service_id, environment_id, name, kind, config, interval_seconds, timeout_ms,
      latency_threshold_ms, phase_offset_ms, next_run_at)
    values (${id}, ${svc!.id}, ${envId}, ${o.name ?? 'check'}, 'http',
      ${JSON.stringify({ method: 'GET', url: o.url, headers: {}, body: null, expectedStatus: [{ from: 200, to: 299 }], keyword: null, jsonPath: null, followRedirects: false })}::jsonb,
      ${interval}, ${o.timeoutMs ?? 500}, ${o.latencyThresholdMs ?? null}, ${offset}, ${new Date(nextSlot(Date.now(), interval, offset))})`;
  return { id, serviceId: svc!.id };
}

export function scheduler(
  db: Database,
  instance: string,
  overrides: Partial<ConstructorParameters<typeof CheckScheduler>[0]> = {},
) {
  return new CheckScheduler({
    sql: db.sql,
    instance,
    concurrency: 50,
    pollMs: 50,
    leaseMarginMs: 500,
    // Loopback is refused by default: the local targets are reached through an explicit allow entry.
    probeOptions: async () => allowLoopback,
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}

export async function until<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - start > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A leased loop's options on `clock` that claim only when the test calls tick(), quietly, with a 30 s lease. */
export const manualLoop = (sql: Database['sql'], clock: () => number) => ({
  sql,
  instance: 'test-instance',
  concurrency: 2,
  pollMs: 1_000_000,
  leaseMarginMs: 0,
  probeOptions: async () => {},
  logger: pino({ level: 'silent' }),
  clock,
  leaseMs: 30_000,
});
