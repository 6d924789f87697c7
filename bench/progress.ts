// Project progress at scale (issue 17): the portfolio and project pages' reads over a year of daily snapshots.
import postgres from 'postgres';
import type { Cleanup } from './lib/cleanup';
import { BENCH_AUTH_SECRET, consoleSession, startConsole } from './lib/console';
import { startDatabase } from './lib/database';
import { benchApiKey, timeGet, trpcGetUrl } from './lib/http-reads';
import { load, loadSettings } from './lib/load';
import { printAligned, printContext, printTable } from './lib/report';
import { startApiProcess, startBaseline } from './lib/targets';

export const description =
  'the portfolio and project pages (console HTML, signed in) and their reads p95 over 50 projects × 2,000 work items × a year of daily snapshots';

const PROJECTS = Number(process.env.BENCH_PROGRESS_PROJECTS ?? 50);
const ITEMS = Number(process.env.BENCH_PROGRESS_ITEMS ?? 2000);
const DAYS = Number(process.env.BENCH_PROGRESS_DAYS ?? 365);
const SAMPLES = Number(process.env.BENCH_PROGRESS_SAMPLES ?? 40);
const TARGET_P95_MS = 200;

export async function run(cleanup: Cleanup): Promise<void> {
  const settings = loadSettings();
  const databaseUrl = await startDatabase(cleanup);
  // Started first: its first-run seed makes the PRO environment the deployments use. Scheduler off: reads only.
  const api = await startApiProcess(cleanup, databaseUrl, {
    SEXTANT_SCHEDULER: 'false',
    AUTH_SECRET: BENCH_AUTH_SECRET,
  });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  cleanup.add('bench sql', () => sql.end());
  const started = performance.now();
  const seeded = await seed(sql);
  const seedSeconds = (performance.now() - started) / 1000;
  // Every role reads progress; a viewer key shows no write path is needed.
  const key = await benchApiKey(sql, 'viewer');
  const ids = await sql<{ id: string }[]>`
    select id from projects where name like 'progress-%' order by name limit 3`;

  printContext(settings);
  console.log(
    `data: ${PROJECTS} projects × ${ITEMS.toLocaleString()} work items (${seeded.items.toLocaleString()}), ${seeded.snapshots.toLocaleString()} daily snapshots (${DAYS} days each), ${seeded.milestones} milestones, ${seeded.services} linked services with ${seeded.deployments.toLocaleString()} PRO deployments and ${seeded.incidents} open incidents; seeded in ${seedSeconds.toFixed(1)} s`,
  );
  console.log(`method: ${SAMPLES} sequential requests each after 5 warm-up, one connection, 127.0.0.1\n`);

  const get = (path: string, input: unknown) => trpcGetUrl(api.base, path, input);
  const portfolioUrl = get('progress.portfolio', undefined);
  const probe = await fetch(portfolioUrl, { headers: { authorization: `Bearer ${key}` } });
  if (!probe.ok) throw new Error(`progress.portfolio answered ${probe.status}: ${await probe.text()}`);
  const portfolioBody = await probe.json();
  // The baseline answers the portfolio's own bytes, so the gap is the work, not the payload.
  const baselineUrl = await startBaseline(cleanup, portfolioBody);
  const targets: [string, string, string | null][] = [
    ['bare Fastify GET, same body (baseline)', baselineUrl, null],
    [`progress.portfolio (${PROJECTS} projects)`, portfolioUrl, key],
    ...ids.map((p, i): [string, string, string] => [
      `progress.project #${i + 1}`,
      get('progress.project', { projectId: p.id }),
      key,
    ]),
    ...ids
      .slice(0, 2)
      .map((p, i): [string, string, string] => [
        `projects.get #${i + 1}`,
        get('projects.get', { id: p.id }),
        key,
      ]),
  ];
  // The pages as a stakeholder loads them: the console's server renders them signed in, prefetching the reads.
  const web = await startConsole(cleanup, { apiBase: api.base, databaseUrl, readyPath: '/signin' });
  const cookie = { cookie: await consoleSession(sql, web.base, 'viewer') };
  const pages: [string, string, Record<string, string>][] = [
    ['console /projects (portfolio page, HTML)', `${web.base}/projects`, cookie],
    ['console /projects/<id> (project page, HTML)', `${web.base}/projects/${ids[0]!.id}`, cookie],
  ];
  const rows: string[][] = [];
  for (const [name, url, k] of [...targets, ...pages]) {
    const r = await timeGet(url, k, SAMPLES);
    rows.push([name, r.p50.toFixed(1), r.p95.toFixed(1), r.p95 < TARGET_P95_MS ? 'yes' : 'no']);
  }
  printAligned(['read', 'p50 ms', 'p95 ms', `p95 < ${TARGET_P95_MS} ms`], rows);

  // Under concurrent load too, against the same baseline, like the other benches.
  const auth = { authorization: `Bearer ${key}` };
  const baseline = await load('bare fastify GET (baseline)', baselineUrl, settings);
  const loaded = [
    await load('progress.portfolio', portfolioUrl, settings, auth),
    await load('progress.project #1', get('progress.project', { projectId: ids[0]!.id }), settings, auth),
  ];
  printTable('under load vs. bare Fastify', [baseline, ...loaded], baseline);
  await explain(sql, ids[0]!.id);
  const failed = loaded.filter((r) => r.failures > 0);
  if (failed.length > 0)
    throw new Error(
      failed.map((r) => `${r.target}: ${r.failures} failures ${JSON.stringify(r.statuses)}`).join('; '),
    );
}

/** The plans of the per-project reads that grow with the data (printed, not asserted). */
async function explain(sql: postgres.Sql, projectId: string) {
  const plans: [string, string][] = [
    [
      "the portfolio's per-status item counts (every project)",
      `explain analyze select w.project_id, w.milestone_id, w.status, count(*), sum(w.estimate), max(w.closed_at)
        from work_items w where w.project_id = any(array(select id from projects where archived_at is null))
        group by w.project_id, w.milestone_id, w.status`,
    ],
    [
      "one project's burn-up snapshots",
      `explain analyze select * from project_snapshots s where s.project_id = '${projectId}'
        and s.day >= current_date - 400 order by s.day`,
    ],
  ];
  for (const [name, q] of plans) {
    console.log(`\nplan of ${name}:`);
    for (const row of await sql.unsafe(q)) console.log(`  ${Object.values(row)[0]}`);
  }
}

/** Set-based seeding in SQL (insert … select over generate_series): 100k items and 18k snapshots in seconds. */
async function seed(sql: postgres.Sql) {
  await sql`insert into users (id, email, role)
    select 'progress-user-' || i, 'progress-user-' || i || '@bench.local', 'maintainer' from generate_series(1, 20) i`;
  await sql`insert into projects (name, owner_user_id, start_date, target_date)
    select 'progress-' || lpad(i::text, 3, '0'), 'progress-user-' || (i % 20 + 1),
      current_date - ${DAYS}::int, current_date + 60 + (i % 5) * 30
    from generate_series(1, ${PROJECTS}) i`;
  await sql`insert into project_members (project_id, user_id, digest)
    select p.id, 'progress-user-' || ((k + row_number() over ()) % 20 + 1), k % 2 = 0
    from projects p cross join generate_series(1, 5) k where p.name like 'progress-%'
    on conflict do nothing`;
  const milestones = await sql`
    insert into milestones (project_id, name, due_date, position)
    select p.id, 'M' || k, current_date - 120 + k * 90, k from projects p cross join generate_series(1, 3) k
    where p.name like 'progress-%'`;
  // Two services per project, each with weekly PRO deployments over the year and one open incident.
  const services = await sql`
    insert into services (name, slug, tier)
    select 'progress-svc-' || i, 'progress-svc-' || i, 'standard' from generate_series(1, ${PROJECTS * 2}) i`;
  await sql`
    insert into project_services (project_id, service_id)
    select p.id, s.id from (select id, row_number() over (order by name) as n from projects where name like 'progress-%') p
    join (select id, row_number() over (order by name) as n from services where slug like 'progress-svc-%') s
      on s.n in (p.n * 2 - 1, p.n * 2)`;
  await sql`
    insert into releases (service_id, version, commit_sha, created_at)
    select s.id, '1.' || w || '.0', substr(md5(s.id::text || w), 1, 12), now() - (52 - w) * interval '7 days'
    from services s cross join generate_series(1, 52) w where s.slug like 'progress-svc-%'`;
  await sql`
    insert into release_commits (release_id, sha, committed_at, message)
    select r.id, substr(md5(r.id::text), 1, 40), r.created_at - interval '1 day', 'change'
    from releases r join services s on s.id = r.service_id and s.slug like 'progress-svc-%'`;
  const deployments = await sql`
    insert into deployments (release_id, service_id, environment_id, state, external_id, queued_at, started_at, finished_at)
    select r.id, r.service_id, e.id, 'succeeded', 'seed-' || r.id, r.created_at, r.created_at + interval '1 minute',
      r.created_at + interval '10 minutes'
    from releases r join services s on s.id = r.service_id and s.slug like 'progress-svc-%'
    cross join environments e where e.is_production`;
  // The seed bypasses the deployment writers, so it derives commit_first_deploys as the migration's backfill does.
  await sql`
    insert into commit_first_deploys (service_id, sha, committed_at, deployment_id, deployed_at)
    select distinct on (d.service_id, c.sha) d.service_id, c.sha, c.committed_at, d.id, d.finished_at
    from deployments d join environments e on e.id = d.environment_id and e.is_production
    join release_commits c on c.release_id = d.release_id
    where d.state = 'succeeded' and d.finished_at is not null
    order by d.service_id, c.sha, d.finished_at, d.id`;
  const incidents = await sql`
    with made as (
      insert into incidents (title, severity, status, started_at, detected_at)
      select 'Open incident on ' || s.slug, 'SEV3', 'investigating', now() - interval '2 hours', now() - interval '2 hours'
      from services s where s.slug like 'progress-svc-%'
      returning id, title)
    insert into incident_impacts (incident_id, service_id, environment_id, impact)
    select m.id, s.id, e.id, 'partial_outage' from made m
    join services s on m.title = 'Open incident on ' || s.slug
    cross join environments e where e.is_production`;
  // Items over the year: ~45 % done (closed on a day spread over the year), 5 % cancelled, 10 % in progress, the rest
  // open; 20 % un-estimated; 10 % outside any milestone.
  const items = await sql`
    insert into work_items (project_id, milestone_id, title, estimate, status, closed_at, created_at, updated_at)
    select p.id, case when q.x < 0.1 then null else (select id from milestones m where m.project_id = p.id
        and m.position = 1 + (i % 3)) end,
      'Item ' || i, case when q.y < 0.2 then null else 1 + (i % 8) end,
      case when q.x < 0.45 then 'done' when q.x < 0.5 then 'cancelled' when q.x < 0.6 then 'in_progress' else 'todo' end,
      case when q.x < 0.5 then now() - (q.y * ${DAYS - 1}::int) * interval '1 day' end,
      now() - ${DAYS}::int * interval '1 day' + (i::float / ${ITEMS}::int) * ${DAYS - 1}::int * interval '1 day',
      now()
    from projects p cross join generate_series(1, ${ITEMS}) i
    -- A per-row draw: hashed, since a lateral random() that names no outer column is drawn once for all rows.
    cross join lateral (select (hashtext(p.id::text || i) & 65535) / 65536.0 as x,
      (hashtext(i || p.id::text) & 65535) / 65536.0 as y) q
    where p.name like 'progress-%'`;
  // A year of daily snapshots: scope grows from half to all of it, done from nothing to ~45 % (scope creep visible).
  const snapshots = await sql`
    insert into project_snapshots (project_id, day, scope_count, done_count, scope_points, done_points, unestimated_count, taken_at)
    select p.id, current_date - d,
      (${ITEMS}::int * (0.5 + 0.45 * (${DAYS}::int - d)::float / ${DAYS}::int))::int,
      (${ITEMS}::int * 0.45 * (${DAYS}::int - d)::float / ${DAYS}::int)::int,
      (${ITEMS}::int * 4 * (0.5 + 0.45 * (${DAYS}::int - d)::float / ${DAYS}::int))::int,
      (${ITEMS}::int * 4 * 0.45 * (${DAYS}::int - d)::float / ${DAYS}::int)::int,
      (${ITEMS}::int * 0.18)::int, (current_date - d)::timestamptz + interval '23 hours'
    from projects p cross join generate_series(0, ${DAYS - 1}) d where p.name like 'progress-%'`;
  await sql`analyze`;
  return {
    items: items.count,
    snapshots: snapshots.count,
    milestones: milestones.count,
    services: services.count,
    deployments: deployments.count,
    incidents: incidents.count,
  };
}
