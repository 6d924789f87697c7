// Delivery at scale: DORA reads over a year of deployment history, and POST /v1/deployments vs. bare Fastify.
import autocannon from 'autocannon';
import postgres from 'postgres';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { benchApiKey, timeGet, trpcGetUrl } from './lib/http-reads';
import { type LoadResult, load, loadSettings } from './lib/load';
import { printAligned, printContext, printTable } from './lib/report';
import { startApiProcess, startBaseline } from './lib/targets';

export const description =
  'releases.board, dora.get / dora.overview p95 over 200 services × 4 environments × a year of deployments; POST /v1/deployments vs. bare Fastify';

const SERVICES = Number(process.env.BENCH_DEPLOY_SERVICES ?? 200);
/** Releases per service over the year; each goes DEV → FAT → UAT → PRO, so deployments = services × releases × 4. */
const RELEASES = Number(process.env.BENCH_DEPLOY_RELEASES ?? 125);
const SAMPLES = Number(process.env.BENCH_DEPLOY_SAMPLES ?? 40);
const TARGET_P95_MS = 200;

/** A read timed by p95 over HTTP; `path` and `input` make the tRPC GET. */
interface ReadTarget {
  name: string;
  path: string;
  input: unknown;
}

/** The reads measured: the release board's first page and the DORA page's reads. */
const READ_TARGETS: ReadTarget[] = [
  { name: 'releases.board, first page (50 services)', path: 'releases.board', input: { limit: 50 } },
  {
    name: 'releases.board, search "svc-1" (50 services)',
    path: 'releases.board',
    input: { limit: 50, search: 'svc-1' },
  },
  { name: 'dora.get 90 d, one service', path: 'dora.get', input: { service: 'deploy-svc-100', days: 90 } },
  { name: 'dora.get 90 d, one team (10 services)', path: 'dora.get', input: { team: 'team-7', days: 90 } },
  { name: 'dora.get 90 d, everything', path: 'dora.get', input: { days: 90 } },
  { name: 'dora.get 30 d, everything', path: 'dora.get', input: { days: 30 } },
  { name: 'dora.overview 90 d (200 rows)', path: 'dora.overview', input: { days: 90 } },
  { name: 'dora.overview 7 d (200 rows)', path: 'dora.overview', input: { days: 7 } },
];

export async function run(cleanup: Cleanup): Promise<void> {
  const settings = loadSettings();
  const databaseUrl = await startDatabase(cleanup);
  // Started first: its first-run seed makes DEV, FAT, UAT and PRO (production) that the history uses.
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false' });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  cleanup.add('bench sql', () => sql.end());
  const started = performance.now();
  const seeded = await seed(sql);
  const seedSeconds = (performance.now() - started) / 1000;
  // A maintainer key: it writes deployments and reads DORA.
  const key = await benchApiKey(sql, 'maintainer');

  printContext(settings);
  console.log(
    `data: ${SERVICES} services × 4 environments, ${seeded.releases.toLocaleString()} releases, ${seeded.commits.toLocaleString()} commits, ${seeded.deployments.toLocaleString()} deployments over 365 days (${seeded.pro.toLocaleString()} in PRO), ${seeded.incidents} incidents linked to PRO deployments; seeded in ${seedSeconds.toFixed(1)} s`,
  );
  console.log(`method: ${SAMPLES} sequential requests each after 5 warm-up, one connection, 127.0.0.1\n`);
  const rows: string[][] = [];
  for (const t of READ_TARGETS) {
    const r = await timeGet(trpcGetUrl(api.base, t.path, t.input), key, SAMPLES);
    rows.push([t.name, r.p50.toFixed(1), r.p95.toFixed(1), r.p95 < TARGET_P95_MS ? 'yes' : 'NO']);
  }
  printAligned(['read', 'p50 ms', 'p95 ms', `p95 < ${TARGET_P95_MS} ms`], rows);
  await explain(sql);

  // Writes: every request a new deployment (distinct external ids), vs. the bare route of `pnpm bench system`.
  const body = (id: string) =>
    JSON.stringify({
      service: 'deploy-svc-1',
      environment: 'DEV',
      version: '9.9.9',
      commitSha: 'abcdef1',
      state: 'succeeded',
      externalId: `bench-${id}`,
    });
  const probe = await fetch(`${api.base}/v1/deployments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body('probe'),
  });
  if (probe.status !== 201)
    throw new Error(`POST /v1/deployments answered ${probe.status}: ${await probe.text()}`);
  const baselineUrl = await startBaseline(cleanup, await probe.json());
  const baseline = await load('bare fastify GET (baseline)', baselineUrl, settings);
  const posts = await loadPost(`${api.base}/v1/deployments`, key, body('[<id>]'), settings);
  printTable('POST /v1/deployments vs. bare Fastify', [baseline, posts], baseline);
  const [{ n }] = await sql<
    { n: number }[]
  >`select count(*)::int as n from deployments where external_id like 'bench-%'`;
  console.log(`\nnew deployments written by the POST load: ${n.toLocaleString()} (one per 201)`);
  if (posts.failures > 0)
    throw new Error(`POST /v1/deployments: ${posts.failures} failures ${JSON.stringify(posts.statuses)}`);
}

/** autocannon POSTs whose `[<id>]` is replaced per request, so each one reports a new deployment. */
async function loadPost(url: string, key: string, body: string, settings: ReturnType<typeof loadSettings>) {
  const opts = {
    url,
    method: 'POST' as const,
    connections: settings.connections,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
    idReplacement: true,
  };
  await autocannon({ ...opts, duration: settings.warmupSeconds });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const runner = autocannon({ ...opts, duration: settings.durationSeconds });
  runner.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
    latencies.push(ms);
    if (status !== 201) statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const r = await runner;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.max(0, Math.ceil(p * latencies.length) - 1)] ?? Number.NaN;
  const result: LoadResult = {
    target: 'POST /v1/deployments (new each)',
    requestsPerSec: r.requests.total / (r.duration || settings.durationSeconds),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    requests: r.requests.total,
    failures: r.errors + r.timeouts + Object.values(statuses).reduce((a, b) => a + b, 0),
    statuses,
  };
  return result;
}

/** The plans of the window read, to show it uses the indexes (printed, not asserted). */
async function explain(sql: postgres.Sql) {
  const plan = await sql.unsafe(`explain select d.id from deployments d
    join environments e on e.id = d.environment_id and e.is_production
    where d.service_id = (select id from services where slug = 'deploy-svc-100')
      and d.finished_at >= now() - interval '90 days' and d.finished_at < now()`);
  console.log("\nplan of one service's window read:");
  for (const row of plan) console.log(`  ${Object.values(row)[0]}`);
}

/** Set-based seeding in SQL (insert … select over generate_series): 100k deployments in seconds. */
async function seed(sql: postgres.Sql) {
  await sql`insert into services (name, slug, owner, tier)
    select 'deploy-svc-' || i, 'deploy-svc-' || i, 'team-' || (i % 20), 'standard' from generate_series(1, ${SERVICES}) i`;
  // Release r of a service ships at a steady pace over the year, with a little jitter.
  const releases = await sql`
    insert into releases (service_id, version, commit_sha, created_at)
    select s.id, '1.' || r || '.0', substr(md5(s.id::text || r), 1, 12),
      now() - interval '365 days' + (r * interval '365 days' / ${RELEASES}) + random() * interval '12 hours'
    from services s cross join generate_series(1, ${RELEASES}) r
    where s.slug like 'deploy-svc-%'`;
  const commits = await sql`
    insert into release_commits (release_id, sha, committed_at, message)
    select r.id, substr(md5(r.id::text || k), 1, 40), r.created_at - (k * interval '7 hours') - random() * interval '3 hours', 'change ' || k
    from releases r cross join generate_series(1, 3) k`;
  // DEV, FAT, UAT, PRO an hour apart; 90 % succeed, 5 % fail, 5 % are rolled back.
  const deployments = await sql`
    insert into deployments (release_id, service_id, environment_id, state, external_id, queued_at, started_at, finished_at)
    select r.id, r.service_id, e.id,
      case when q.x < 0.9 then 'succeeded' when q.x < 0.95 then 'failed' else 'rolled_back' end,
      'seed-' || r.id || '-' || e.position,
      r.created_at + e.position * interval '1 hour',
      r.created_at + e.position * interval '1 hour' + interval '1 minute',
      r.created_at + e.position * interval '1 hour' + interval '10 minutes'
    -- A per-row draw: hashed, since a lateral random() that names no outer column is drawn once for all rows.
    from releases r cross join environments e
    cross join lateral (select (hashtext(r.id::text || e.name) & 65535) / 65536.0 as x) q
    where e.name in ('DEV', 'FAT', 'UAT', 'PRO')`;
  // The services keep commit_first_deploys on every write; this seed bypasses them, so it derives the table as the
  // migration's backfill does (each service × commit's first succeeded production deployment).
  await sql`
    insert into commit_first_deploys (service_id, sha, committed_at, deployment_id, deployed_at)
    select distinct on (d.service_id, c.sha) d.service_id, c.sha, c.committed_at, d.id, d.finished_at
    from deployments d
    join environments e on e.id = d.environment_id and e.is_production
    join release_commits c on c.release_id = d.release_id
    where d.state = 'succeeded' and d.finished_at is not null
    order by d.service_id, c.sha, d.finished_at, d.id`;
  // Two incidents per service, each linked to the PRO deployment before it and resolved within hours.
  const incidents = await sql`
    with picked as (
      select d.id as deployment_id, d.service_id, d.environment_id, d.finished_at,
        row_number() over (partition by d.service_id order by random()) as n
      from deployments d join environments e on e.id = d.environment_id and e.is_production),
    made as (
      insert into incidents (title, severity, status, started_at, detected_at, resolved_at)
      select 'Seeded incident ' || deployment_id, 'SEV3', 'resolved', finished_at + interval '20 minutes',
        finished_at + interval '25 minutes', finished_at + interval '20 minutes' + random() * interval '6 hours'
      from picked where n <= 2
      returning id, title),
    impacts as (
      insert into incident_impacts (incident_id, service_id, environment_id, impact)
      select m.id, p.service_id, p.environment_id, 'partial_outage'
      from made m join picked p on m.title = 'Seeded incident ' || p.deployment_id)
    insert into incident_deployments (incident_id, deployment_id, how)
    select m.id, p.deployment_id, 'auto' from made m join picked p on m.title = 'Seeded incident ' || p.deployment_id`;
  await sql`analyze`;
  const [pro] = await sql<{ n: number }[]>`
    select count(*)::int as n from deployments d join environments e on e.id = d.environment_id where e.is_production`;
  return {
    releases: releases.count,
    commits: commits.count,
    deployments: deployments.count,
    pro: pro!.n,
    incidents: incidents.count,
  };
}
