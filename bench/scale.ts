// 5,000 checks with history: do the services list and a service page stay under 500 ms of server time?
import postgres from 'postgres';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { printAligned } from './lib/report';
import { startApiProcess } from './lib/targets';

export const description =
  'services list and service page with 5,000 checks and a week of history vs. /readyz';

const SERVICES = Number(process.env.BENCH_SCALE_SERVICES ?? 500);
const CHECKS_PER_SERVICE = Number(process.env.BENCH_SCALE_CHECKS_PER_SERVICE ?? 10);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 40);

export async function run(cleanup: Cleanup): Promise<void> {
  const databaseUrl = await startDatabase(cleanup);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  cleanup.add('bench sql', () => sql.end());
  const seeded = await seed(sql);

  // The scheduler stays off: this measures reads, not probes competing for the CPU.
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false' });
  const key = await apiKey(sql);
  const get = (path: string, input: unknown) =>
    `${api.base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

  const targets: [string, string][] = [
    ['GET /readyz (baseline: one query)', `${api.base}/readyz`],
    ['services.list page 1 (25 of 500)', get('services.list', { page: 1, pageSize: 25 })],
    ['services.list search "svc-4"', get('services.list', { search: 'svc-4', page: 1, pageSize: 25 })],
    ['services.get (10 checks, 90-day bars)', get('services.get', { id: 'svc-250' })],
    ['services.latency 1h (raw)', get('services.latency', { id: 'svc-250', range: '1h' })],
    ['services.latency 7d (rollups)', get('services.latency', { id: 'svc-250', range: '7d' })],
    ['services.latency 30d (rollups)', get('services.latency', { id: 'svc-250', range: '30d' })],
  ];
  const rows: string[][] = [];
  let base = 0;
  for (const [name, url] of targets) {
    const t = await time(url, key);
    if (!base) base = t.p50;
    rows.push([
      name,
      t.p50.toFixed(1),
      t.p95.toFixed(1),
      `${(t.p50 / base).toFixed(1)}x`,
      t.p95 < 500 ? 'yes' : 'NO',
    ]);
  }
  console.log(
    `data: ${seeded.services} services, ${seeded.checks} checks, ${seeded.rollups.toLocaleString()} hourly rollups, ${seeded.results.toLocaleString()} raw results, ${seeded.events.toLocaleString()} state changes`,
  );
  console.log(
    `method: ${SAMPLES} sequential requests each after 5 warm-up, one connection, 127.0.0.1 (latency ≈ server time)\n`,
  );
  printAligned(['request', 'p50 ms', 'p95 ms', 'p50 vs base', 'p95 < 500 ms'], rows);
}

async function time(url: string, key: string) {
  const headers = { authorization: `Bearer ${key}` };
  for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function apiKey(sql: postgres.Sql) {
  const { generateApiKey } = await import('@sextant/db');
  const { key, prefix, keyHash } = generateApiKey();
  // Keys need an owner whose role covers theirs.
  await sql`with owner as (insert into users (id, email, role) values (gen_random_uuid()::text, ${`bench-${prefix}@bench.local`}, 'viewer') returning id)
    insert into api_keys (name, prefix, key_hash, role, created_by) select 'bench', ${prefix}, ${keyHash}, 'viewer', id from owner`;
  return key;
}

/** Set-based seeding in SQL: hundreds of thousands of rows in seconds. */
async function seed(sql: postgres.Sql) {
  const [env] = await sql<
    { id: string }[]
  >`insert into environments (name, position) values ('PRO', 0) returning id`;
  await sql`insert into services (name, slug, tier) select 'svc-' || i, 'svc-' || i, 'standard' from generate_series(1, ${SERVICES}) i`;
  await sql`
    insert into checks (service_id, environment_id, name, kind, config, interval_seconds, phase_offset_ms, next_run_at, status, created_at)
    select s.id, ${env!.id}, 'check-' || n, 'http',
      jsonb_build_object('method', 'GET', 'url', 'http://127.0.0.1:9/' || n, 'headers', '{}'::jsonb, 'expectedStatus', '[{"from":200,"to":399}]'::jsonb, 'followRedirects', true),
      60, (random() * 60000)::int, now() + interval '1 day', 'up', now() - interval '90 days'
    from services s cross join generate_series(1, ${CHECKS_PER_SERVICE}) n`;
  // A week of hourly rollups for every check, an hour of raw results for one service, a few state changes each.
  const rollups = await sql`
    insert into check_rollups_hourly (check_id, hour, count, failures, latency_p50, latency_p95, latency_p99, latency_min, latency_max)
    select c.id, h, 60, (random() < 0.02)::int, 20 + random() * 10, 40 + random() * 20, 80 + random() * 40, 5, 200
    from checks c cross join generate_series(date_trunc('hour', now()) - interval '7 days', date_trunc('hour', now()), interval '1 hour') h`;
  const results = await sql`
    insert into check_results (check_id, scheduled_at, started_at, ok, latency_ms, http_status)
    select c.id, t, t, random() > 0.01, 10 + random() * 50, 200
    from checks c join services s on s.id = c.service_id and s.slug = 'svc-250'
    cross join generate_series(now() - interval '1 hour', now(), interval '1 minute') t`;
  const events = await sql`
    insert into monitor_events (check_id, service_id, at, from_status, to_status, cause)
    select c.id, c.service_id, now() - (k * interval '9 days') - (random() * interval '1 day'),
      case when k % 2 = 0 then 'down'::monitor_status else 'up'::monitor_status end,
      case when k % 2 = 0 then 'up'::monitor_status else 'down'::monitor_status end, 'seeded'
    from checks c cross join generate_series(0, 9) k`;
  await sql`analyze`;
  return {
    services: SERVICES,
    checks: SERVICES * CHECKS_PER_SERVICE,
    rollups: rollups.count,
    results: results.count,
    events: events.count,
  };
}
