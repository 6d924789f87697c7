// A public status page of 100 components with 90 days of check history: the API's reads vs. a bare Fastify route,
// the first build after the page cache is invalidated, and (status-console.ts) the page from the console vs. a
// static file of the same bytes, and an incident update's way onto the page.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cleanup } from './lib/cleanup';
import { startDatabase } from './lib/database';
import { type LoadResult, load, loadSettings } from './lib/load';
import { apiKey, benchSql, int, percentile, positiveInt } from './lib/metrics';
import { printAligned, printContext } from './lib/report';
import { startApiProcess, startBaseline } from './lib/targets';
import { consoleReads } from './status-console';

export const description =
  'public status page (100 components, 90 days of history): the page from Next.js vs. a static file of the same bytes; incident update to page; statusPages.view, summary.json, badges vs. a bare Fastify route; cache-miss build time';

const COMPONENTS = positiveInt('BENCH_STATUS_COMPONENTS', 100);
const DAYS = positiveInt('BENCH_STATUS_DAYS', 90);
/** State changes per check per day in the seeded history (each one an up/down edge the uptime walk reads). */
const CHANGES_PER_DAY = positiveInt('BENCH_STATUS_CHANGES_PER_DAY', 4);
const MISS_SAMPLES = positiveInt('BENCH_STATUS_MISS_SAMPLES', 20);
const SLUG = 'bench-status';
/** The channel the API's page cache listens on (services/status-page-cache.ts STATUS_CHANNEL). */
const CHANNEL = 'sextant_status';

export async function run(cleanup: Cleanup): Promise<void> {
  // Seven load runs: 1 s warm-up + 6 s each unless set, so a whole run (seed, API, misses) stays under two minutes.
  const settings = {
    ...loadSettings(),
    ...(process.env.BENCH_DURATION ? {} : { durationSeconds: 6 }),
    ...(process.env.BENCH_WARMUP ? {} : { warmupSeconds: 1 }),
  };
  const databaseUrl = await startDatabase(cleanup);
  const sql = benchSql(databaseUrl, 2);
  cleanup.add('bench sql', () => sql.end());
  const t0 = performance.now();
  const seeded = await seed(sql);
  const seedSeconds = (performance.now() - t0) / 1000;

  // The scheduler stays off: this measures reads, not probes competing for the CPU.
  const api = await startApiProcess(cleanup, databaseUrl, { SEXTANT_SCHEDULER: 'false' });
  const base = `${api.base}/status-pages/${SLUG}`;
  const key = 'svc-25';
  const urls = {
    view: `${api.base}/trpc/statusPages.view?input=${encodeURIComponent(JSON.stringify({ json: { slug: SLUG } }))}`,
    summary: `${base}/api/v2/summary.json`,
    badge: `${base}/components/${key}/badge.svg`,
    uptime: `${base}/components/${key}/uptime-30d.svg`,
  };
  // One real answer each: proves the routes work (a wrong slug or key would be a fast 404).
  for (const url of Object.values(urls)) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const summary: unknown = await (await fetch(urls.summary)).json();
  const baselineUrl = await startBaseline(cleanup, summary);

  printContext(settings);
  console.log(
    `data:     ${COMPONENTS} public components, ${DAYS} days: ${int(seeded.events)} state changes, ${int(seeded.rollups)} hourly rollups; seeded in ${seedSeconds.toFixed(1)} s`,
  );
  const viewBytes = (await (await fetch(urls.view)).arrayBuffer()).byteLength;
  console.log(
    `payload:  summary.json ${JSON.stringify(summary).length} bytes (the baseline answers the same), statusPages.view ${viewBytes} bytes`,
  );
  // One target at a time: the API and the baseline must not compete for the same cores.
  const baseline = await load('bare fastify (baseline)', baselineUrl, settings);
  const rows: [LoadResult, LoadResult][] = [[baseline, baseline]];
  // The heavy view last, and a settled API before each run: a lagging event loop sheds the next target's load too.
  for (const [name, url] of [
    ['api/v2/summary.json', urls.summary],
    ['component badge.svg', urls.badge],
    ['component uptime-30d.svg', urls.uptime],
    ['statusPages.view (tRPC GET)', urls.view],
  ] as const) {
    await settle(api.base);
    rows.push([await load(name, url, settings), baseline]);
  }
  // The view is large (90 daily bars per component): also one request at a time, against the baseline's same.
  const one = { ...settings, connections: 1 };
  const baselineOne = await load('bare fastify, 1 connection', baselineUrl, one);
  await settle(api.base);
  rows.push(
    [baselineOne, baselineOne],
    [await load('statusPages.view, 1 connection', urls.view, one), baselineOne],
  );
  await settle(api.base);
  console.log('\ncached reads (the page cache holds the built view; one warm-up run dropped per target)\n');
  printAligned(
    ['target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'failures', 'req/s vs base', 'p99 vs base'],
    rows.map(([r, base]) => [
      r.target,
      r.requestsPerSec.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p95Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      String(r.requests),
      r.failures ? `${r.failures} (${shed(r)})` : '0',
      `${(r.requestsPerSec / base.requestsPerSec).toFixed(3)}x`,
      `${(r.p99Ms / base.p99Ms).toFixed(1)}x`,
    ]),
  );

  const misses = [
    await cacheMiss(sql, 'summary.json (view build)', urls.summary),
    await cacheMiss(sql, 'uptime-30d.svg (view + uptimes)', urls.uptime),
  ];
  console.log(
    `\ncache miss: NOTIFY ${CHANNEL} clears the cache, then the first answer with a new ETag is the rebuild; ${MISS_SAMPLES} samples, one connection, nothing else running\n`,
  );
  printAligned(
    ['first request after invalidation', 'p50 ms', 'p95 ms', 'max ms'],
    misses.map((m) => [m.name, m.p50.toFixed(1), m.p95.toFixed(1), m.max.toFixed(1)]),
  );

  // The page as visitors get it, through the console, with an open incident on one component.
  const maintainerKey = await apiKey(sql, 'maintainer');
  const [target] = await sql<{ serviceId: string; environmentId: string }[]>`
    select s.id as "serviceId", e.id as "environmentId" from services s, environments e where s.slug = 'svc-1' limit 1`;
  const incident = await trpcPost<{ id: string }>(api.base, maintainerKey, 'incidents.create', {
    title: 'Bench incident',
    severity: 'SEV3',
    impacts: [{ ...target!, impact: 'partial_outage' }],
  });
  const web = await consoleReads(cleanup, settings, {
    apiBase: api.base,
    databaseUrl,
    slug: SLUG,
    postUpdate: async (text) => {
      await trpcPost(api.base, maintainerKey, 'incidents.postUpdate', {
        id: incident.id,
        body: text,
        visibility: 'public',
      });
    },
  });
  console.log(
    `\nthe page from the console (Next.js, rendered once per page version and kept; a query string bypasses the cache), ${int(web.bytes)} bytes, vs. the same bytes as a static file of the same server; the cached answer's CSP lists ${web.policy.hashes} inline-script hashes (${int(web.policy.bytes)} bytes)\n`,
  );
  printAligned(
    [
      'target',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'requests',
      'failures',
      'req/s vs static',
      'p99 vs static',
    ],
    [web.staticRun, web.pageRun, web.renderRun].map((r) => [
      r.target,
      r.requestsPerSec.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p95Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      String(r.requests),
      r.failures ? `${r.failures} (${shed(r)})` : '0',
      `${(r.requestsPerSec / web.staticRun.requestsPerSec).toFixed(3)}x`,
      `${(r.p99Ms / web.staticRun.p99Ms).toFixed(1)}x`,
    ]),
  );
  console.log(
    `\nincident update → the page shows it: the API's answer to incidents.postUpdate, the NOTIFY, the rebuild, the console's version check and render; ${web.update.samples} samples, polling the page\n`,
  );
  printAligned(
    ['from update to page', 'p50 ms', 'p95 ms', 'max ms'],
    [
      [
        'public incident update',
        web.update.p50.toFixed(0),
        web.update.p95.toFixed(0),
        web.update.max.toFixed(0),
      ],
    ],
  );

  const results = [...rows.map(([r]) => r), web.staticRun, web.pageRun];
  if (results.some((r) => r.statuses[503]))
    console.log(
      '\n503: the API shed load (its event loop lagged over API_MAX_EVENT_LOOP_DELAY_MS); those answers are fast and flatter p50.',
    );
  // Shedding is the API's designed answer to overload, a finding; anything else (errors, 4xx, 500) fails the bench.
  const failed = results.filter((r) => r.failures - (r.statuses[503] ?? 0) > 0);
  if (failed.length > 0)
    throw new Error(`non-2xx answers or errors: ${failed.map((r) => `${r.target} ${shed(r)}`).join(', ')}`);
}

/** A tRPC mutation over HTTP with an API key, as a developer's service would call it; its data or a thrown error. */
async function trpcPost<T = unknown>(base: string, key: string, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } } };
  if (!res.ok || !body.result) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body.result.data.json;
}

/** "503×1994, errors×3": what the failures were. */
function shed(r: LoadResult): string {
  const parts = Object.entries(r.statuses).map(([status, n]) => `${status}×${n}`);
  const other = r.failures - Object.values(r.statuses).reduce((a, b) => a + b, 0);
  if (other > 0) parts.push(`errors×${other}`);
  return parts.join(', ');
}

/** Waits (bounded) until the API answers /healthz again after a run, plus a second so its lag sample is fresh. */
async function settle(base: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    await res?.arrayBuffer();
    if (res?.ok) break;
    await sleep(250);
  }
  await sleep(1_000);
}

/** Times the request that rebuilds the view after each invalidation (the ETag carries the build time). */
async function cacheMiss(sql: ReturnType<typeof benchSql>, name: string, url: string) {
  const samples: number[] = [];
  const first = await fetch(url);
  await first.arrayBuffer();
  let etag = first.headers.get('etag') ?? '';
  for (let i = 0; i < MISS_SAMPLES; i++) {
    await sql`select pg_notify(${CHANNEL}, 'bench')`;
    // Until the API hears the NOTIFY, answers are still hits with the old ETag: bounded, then give up.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const start = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      const took = performance.now() - start;
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      const next = res.headers.get('etag') ?? '';
      if (next !== etag) {
        etag = next;
        samples.push(took);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${url}: no rebuild within 10 s of the NOTIFY`);
    }
  }
  samples.sort((a, b) => a - b);
  return { name, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples.at(-1)! };
}

/** Set-based seeding in SQL, each statement bounded by the settings above: seconds, not minutes. */
async function seed(sql: ReturnType<typeof benchSql>) {
  const [env] = await sql<{ id: string }[]>`
    insert into environments (name, position, is_production) values ('PRO', 0, true) returning id`;
  await sql`
    insert into services (name, slug, tier, is_public)
    select 'svc-' || i, 'svc-' || i, 'standard', true from generate_series(1, ${COMPONENTS}) i`;
  // Two checks per service, created before the history starts, so every day of it counts.
  await sql`
    insert into checks (service_id, environment_id, name, kind, config, interval_seconds, phase_offset_ms, next_run_at, status, created_at)
    select s.id, ${env!.id}, 'check-' || n, 'http',
      jsonb_build_object('method', 'GET', 'url', 'http://127.0.0.1:9/' || n, 'headers', '{}'::jsonb, 'expectedStatus', '[{"from":200,"to":399}]'::jsonb, 'followRedirects', true),
      60, (random() * 60000)::int, now() + interval '1 day', 'up', now() - ${`${DAYS + 1} days`}::interval
    from services s cross join generate_series(1, 2) n`;
  // Short outages: down then up again minutes later, CHANGES_PER_DAY edges a day per check, oldest first.
  const events = await sql`
    insert into monitor_events (check_id, service_id, at, from_status, to_status, cause)
    select c.id, c.service_id,
      now() - ${`${DAYS} days`}::interval + k * (interval '1 day' / ${CHANGES_PER_DAY}) + (k % 2) * interval '7 minutes',
      case when k % 2 = 0 then 'up'::monitor_status else 'down'::monitor_status end,
      case when k % 2 = 0 then 'down'::monitor_status else 'up'::monitor_status end, 'seeded'
    from checks c cross join generate_series(0, ${DAYS * CHANGES_PER_DAY - 1}) k`;
  const rollups = await sql`
    insert into check_rollups_hourly (check_id, hour, count, failures, latency_p50, latency_p95, latency_p99, latency_min, latency_max)
    select c.id, h, 60, (random() < 0.02)::int, 20 + random() * 10, 40 + random() * 20, 80 + random() * 40, 5, 200
    from checks c cross join generate_series(date_trunc('hour', now()) - ${`${DAYS} days`}::interval, date_trunc('hour', now()), interval '1 hour') h`;
  const [page] = await sql<{ id: string }[]>`
    insert into status_pages (slug, title, visibility) values (${SLUG}, 'Bench status', 'public') returning id`;
  await sql`insert into status_page_environments (page_id, environment_id) values (${page!.id}, ${env!.id})`;
  // Groups of ten, in name order.
  await sql`
    insert into status_page_components (page_id, service_id, group_name, position)
    select ${page!.id}, s.id, 'Group ' || ((row_number() over (order by s.name) - 1) / 10 + 1), row_number() over (order by s.name)
    from services s`;
  await sql`analyze`;
  return { events: events.count, rollups: rollups.count };
}
