// K HTTP checks on one API instance against a local fast target: can one process keep 100 checks/s on time?
import { setTimeout as sleep } from 'node:timers/promises';
import { nextSlot, phaseOffsetMs, SETTINGS_KEYS } from '@sextant/db';
import { plainGet } from '@sextant/db/check-config';
import postgres from 'postgres';
import type { Cleanup } from './lib/cleanup';
import { cpuSeconds } from './lib/cpu';
import { startDatabase } from './lib/database';
import { freePort, spawnServer, waitForHttp } from './lib/process';
import { printAligned } from './lib/report';
import { startApiProcess } from './lib/targets';

export const description =
  'K HTTP checks on one API instance vs. the planned rate: checks/s, scheduling lag, CPU';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export async function run(cleanup: Cleanup): Promise<void> {
  const checks = int('BENCH_CHECKS', 1_000);
  const interval = int('BENCH_CHECK_INTERVAL', 10);
  const seconds = int('BENCH_CHECK_SECONDS', 60);
  const concurrency = int('BENCH_CHECK_CONCURRENCY', 100);

  const databaseUrl = await startDatabase(cleanup);
  const targetPort = await freePort();
  const target = spawnServer(
    cleanup,
    'target',
    process.execPath,
    [new URL('./lib/target-server.mjs', import.meta.url).pathname],
    {
      ...process.env,
      TARGET_PORT: String(targetPort),
    },
  );
  await waitForHttp(target, `http://127.0.0.1:${targetPort}/`);

  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  cleanup.add('bench sql', () => sql.end());
  await seedChecks(sql, checks, interval, `http://127.0.0.1:${targetPort}/`);

  const api = await startApiProcess(cleanup, databaseUrl, {
    CHECKS_CONCURRENCY: String(concurrency),
    CHECKS_POLL_MS: '100',
  });
  await sleep(interval * 1000); // one full interval of warm-up: every check has run once
  const t0 = new Date();
  const cpu0 = cpuSeconds(api.pid);
  await sleep(seconds * 1000);
  const t1 = new Date();
  const cpu1 = cpuSeconds(api.pid);

  const [r] = await sql<{ runs: number; failures: number; p50: number; p99: number; max: number }[]>`
    select count(*)::int as runs, (count(*) filter (where not ok))::int as failures,
      percentile_cont(0.5) within group (order by extract(epoch from started_at - scheduled_at) * 1000)::float8 as p50,
      percentile_cont(0.99) within group (order by extract(epoch from started_at - scheduled_at) * 1000)::float8 as p99,
      max(extract(epoch from started_at - scheduled_at) * 1000)::float8 as max
    from check_results where scheduled_at >= ${t0} and scheduled_at < ${t1}`;
  const elapsed = (t1.getTime() - t0.getTime()) / 1000;
  const planned = checks / interval;
  const achieved = r!.runs / elapsed;
  const cpuPct = ((cpu1 - cpu0) / elapsed) * 100;

  console.log(
    `settings: ${checks} checks every ${interval} s (planned ${planned}/s), concurrency ${concurrency}, ${seconds} s measured after ${interval} s warm-up`,
  );
  console.log('');
  printAligned(
    ['measure', 'value', 'target', 'vs target'],
    [
      ['checks/s (planned rate = baseline)', planned.toFixed(1), '100', `${(planned / 100).toFixed(2)}x`],
      ['checks/s achieved', achieved.toFixed(1), planned.toFixed(1), `${(achieved / planned).toFixed(3)}x`],
      ['failed runs', String(r!.failures), '0', ''],
      ['scheduling lag p50 ms', r!.p50.toFixed(1), '', ''],
      ['scheduling lag p99 ms', r!.p99.toFixed(1), '< 1000', `${(r!.p99 / 1000).toFixed(3)}x`],
      ['scheduling lag max ms', r!.max.toFixed(1), '', ''],
      ['API process CPU %', cpuPct.toFixed(1), '(of 1 core)', ''],
    ],
  );
  if (achieved < planned * 0.97) throw new Error(`fell behind: ${achieved.toFixed(1)}/s of ${planned}/s`);
}

async function seedChecks(sql: postgres.Sql, n: number, interval: number, url: string) {
  const [env] = await sql<
    { id: string }[]
  >`insert into environments (name, position) values ('BENCH', 99) returning id`;
  const [svc] = await sql<
    { id: string }[]
  >`insert into services (name, slug) values ('bench', 'bench') returning id`;
  // The target is on loopback, which checks may not reach by default: allow it explicitly, as an admin would.
  await sql`insert into settings (key, value) values (${SETTINGS_KEYS.allowNetworks}, ${sql.json(['127.0.0.1'])})`;
  const config = JSON.stringify(plainGet(url));
  const rows = Array.from({ length: n }, (_, i) => {
    const id = crypto.randomUUID();
    const offset = phaseOffsetMs(id, interval);
    return {
      id,
      service_id: svc!.id,
      environment_id: env!.id,
      name: `check-${i}`,
      kind: 'http',
      config,
      interval_seconds: interval,
      timeout_ms: 2_000,
      phase_offset_ms: offset,
      next_run_at: new Date(nextSlot(Date.now() + 2_000, interval, offset)),
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await sql`insert into checks ${sql(chunk.map((r) => ({ ...r, config: sql.json(JSON.parse(r.config)) })))}`;
  }
}
