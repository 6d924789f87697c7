import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database, nextSlot, phaseOffsetMs } from '@sextant/db';
import { type ClaimedScrapeTarget, DEFAULT_SERIES_LIMITS } from '@sextant/trpc';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { recordScrape, ScrapeScheduler, scrapeTarget } from '../../src/monitoring/scrape-scheduler';
import { monitoringDb } from '../monitoring/fixtures';
import { withOutbound } from '../probe/checks';

const EXPOSITION = `# TYPE jobs_processed_total counter
jobs_processed_total{queue="email"} 41
# TYPE queue_depth gauge
queue_depth{queue="email"} 7
# TYPE job_seconds histogram
job_seconds_bucket{queue="email",le="0.5"} 3
job_seconds_bucket{queue="email",le="1"} 9
job_seconds_bucket{queue="email",le="+Inf"} 10
job_seconds_sum{queue="email"} 6.5
job_seconds_count{queue="email"} 10
`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An exporter whose answer the test swaps; it records when each request arrived. */
async function startExporter() {
  const hits: number[] = [];
  let handler: Handler = (_req, res) => res.end(EXPOSITION);
  const server = createServer((req, res) => {
    hits.push(Date.now());
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    host: `127.0.0.1:${port}`,
    hits,
    answer(next: Handler) {
      handler = next;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let db: Database;
let exporter: Awaited<ReturnType<typeof startExporter>>;
let serviceId: string;
let environmentId: string;
const cleanup: Array<() => Promise<unknown>> = [];
const ALLOW_LOOPBACK = withOutbound({ allow: ['127.0.0.1'] });

beforeAll(async () => {
  db = await monitoringDb();
  cleanup.push(() => db.close());
  exporter = await startExporter();
  cleanup.push(() => exporter.close());
  await ensureMetricPartitions(db.sql);
  const [env] = await db.sql<{ id: string }[]>`
    insert into environments (name, position) values ('STAGING', 9) returning id`;
  const [svc] = await db.sql<{ id: string }[]>`
    insert into services (name, slug) values ('Mailer', 'mailer') returning id`;
  environmentId = env!.id;
  serviceId = svc!.id;
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

/** Inserted directly: the router's 5 s minimum interval is too slow for a test. */
async function insertTarget(url: string, intervalSeconds = 1, timeoutMs = 400) {
  const id = crypto.randomUUID();
  const offset = phaseOffsetMs(id, intervalSeconds);
  await db.sql`
    insert into scrape_targets (id, service_id, environment_id, url, labels, interval_seconds, timeout_ms, phase_offset_ms, next_run_at)
    values (${id}, ${serviceId}, ${environmentId}, ${url}, ${JSON.stringify({ team: 'growth' })}::jsonb, ${intervalSeconds},
            ${timeoutMs}, ${offset}, ${new Date(nextSlot(Date.now(), intervalSeconds, offset))})`;
  return id;
}

function claimed(id: string, url: string, timeoutMs = 400): ClaimedScrapeTarget {
  return {
    id,
    url,
    labels: { team: 'growth' },
    dropPrefix: null,
    service: 'mailer',
    environment: 'STAGING',
    intervalSeconds: 1,
    timeoutMs,
    phaseOffsetMs: 0,
    nextRunAt: new Date(),
  };
}

function dbUrl(): string {
  const o = db.sql.options as unknown as {
    host: string[];
    port: number[];
    database: string;
    user: string;
    pass: string;
  };
  return `postgres://${o.user}:${o.pass}@${o.host[0]}:${o.port[0]}/${o.database}`;
}

describe('scrape targets', () => {
  it('three schedulers scrape a one-second target once per slot and store its samples with the target labels', async () => {
    const id = await insertTarget(exporter.url);
    const pools = [1, 2, 3].map(() => createDatabase(dbUrl(), { max: 4 }));
    const reported: (string | null)[] = [];
    const schedulers = pools.map(
      (p, i) =>
        new ScrapeScheduler({
          sql: p.sql,
          instance: `instance-${i + 1}`,
          concurrency: 4,
          pollMs: 50,
          leaseMarginMs: 500,
          probeOptions: async () => ALLOW_LOOPBACK,
          logger: pino({ level: 'silent' }),
          onScrape: (o) => reported.push(o.error),
          limits: DEFAULT_SERIES_LIMITS,
        }),
    );
    exporter.hits.length = 0;
    for (const s of schedulers) s.start();
    await new Promise((r) => setTimeout(r, 6_000));
    await Promise.all(schedulers.map((s) => s.stop()));
    await Promise.all(pools.map((p) => p.close()));

    // One request per one-second slot: 5 or 6 in 6 s, never two in the same slot.
    const hits = [...exporter.hits];
    expect(hits.length).toBeGreaterThanOrEqual(5);
    expect(hits.length).toBeLessThanOrEqual(7);
    const gaps = hits.slice(1).map((t, i) => t - hits[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(500);

    const up = await db.sql<{ value: number; labels: Record<string, string> }[]>`
      select p.value, s.labels from metric_points p join metric_series s on s.id = p.series_id
      where s.name = 'up' and s.labels->>'service' = 'mailer'`;
    expect(up.length).toBe(hits.length); // every scrape stored once, none twice
    expect(reported).toEqual(hits.map(() => null)); // and each one reported (for /metrics) as a success
    expect(up.every((r) => r.value === 1)).toBe(true);
    expect(up[0]!.labels).toEqual({
      service: 'mailer',
      environment: 'STAGING',
      instance: exporter.host,
      team: 'growth',
    });
    const [jobs] = await db.sql<{ value: number; kind: string }[]>`
      select p.value, s.kind from metric_points p join metric_series s on s.id = p.series_id
      where s.name = 'jobs_processed_total' and s.labels @> '{"queue":"email","service":"mailer"}' limit 1`;
    expect(jobs).toEqual({ value: 41, kind: 'counter' });
    const [hist] = await db.sql<{ bounds: number[]; counts: number[]; sum: number; count: number }[]>`
      select h.bounds, h.counts, h.sum, h.count from metric_histograms h join metric_series s on s.id = h.series_id
      where s.name = 'job_seconds' and s.labels->>'environment' = 'STAGING' limit 1`;
    expect(hist).toEqual({
      bounds: [0.5, 1, Number.POSITIVE_INFINITY],
      counts: [3, 9, 10],
      sum: 6.5,
      count: 10,
    });
    const [target] = await db.sql<
      { last_error: string | null; last_samples: number; lease_owner: string | null }[]
    >`
      select last_error, last_samples, lease_owner from scrape_targets where id = ${id}`;
    expect(target).toEqual({ last_error: null, last_samples: 3, lease_owner: null });
    await db.sql`delete from scrape_targets where id = ${id}`;
  }, 20_000);

  it('reports why a scrape failed and records up = 0', async () => {
    const cases: Array<[string, Handler, RegExp]> = [
      [
        'server error',
        (_q, r) => {
          r.statusCode = 503;
          r.end('busy');
        },
        /answered HTTP 503/,
      ],
      [
        'not the text format',
        (_q, r) => r.end('<html><body>hello</body></html>\n<p>password=hunter2</p>'),
        // Says what was wrong, never what the body held.
        /^the answer is not in the Prometheus text format \(2 of 2 lines unreadable\)$/,
      ],
      ['hangs', () => {}, /timed out after 300 ms/],
    ];
    for (const [, handler, message] of cases) {
      exporter.answer(handler);
      const outcome = await scrapeTarget(claimed(crypto.randomUUID(), exporter.url, 300), ALLOW_LOOPBACK);
      expect(outcome.error).toMatch(message);
      expect(outcome.samples).toBe(0);
      expect(outcome.batch.points.map((p) => [p.name, p.value]).slice(0, 1)).toEqual([['up', 0]]);
      expect(outcome.batch.histograms).toEqual([]);
    }
    exporter.answer((_q, r) => r.end(EXPOSITION));
  });

  it('drops the configured prefix from metric names, not from the synthetic series', async () => {
    const outcome = await scrapeTarget(
      { ...claimed(crypto.randomUUID(), exporter.url), dropPrefix: 'job_' },
      ALLOW_LOOPBACK,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.batch.points.map((p) => p.name).sort()).toEqual([
      'jobs_processed_total',
      'queue_depth',
      'scrape_duration_seconds',
      'scrape_samples_scraped',
      'up',
    ]);
    expect(outcome.batch.histograms.map((h) => h.name)).toEqual(['seconds']);
  });

  it('refuses a denied network before connecting', async () => {
    const before = exporter.hits.length;
    const outcome = await scrapeTarget(claimed(crypto.randomUUID(), exporter.url), withOutbound());
    expect(outcome.error).toMatch(/^127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(loopback\)/);
    expect(exporter.hits.length).toBe(before);
  });

  it('stores nothing when the slot was taken over or the target changed meanwhile', async () => {
    const id = await insertTarget(`${exporter.url}?slot-guard`, 60, 1_000);
    const target = { ...claimed(id, exporter.url), nextRunAt: new Date(0) }; // not the row's slot any more
    const at = Date.now() - 1_234; // a timestamp no other scrape used
    const outcome = await scrapeTarget(target, ALLOW_LOOPBACK, at);
    expect(outcome.error).toBeNull();
    await expect(
      recordScrape(db.sql, target, outcome, new Date(at), 'instance-x', DEFAULT_SERIES_LIMITS),
    ).rejects.toThrow();
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from metric_points where ts = ${new Date(at)}`;
    expect(row!.n).toBe(0);
    // The same outcome with the right slot and lease is stored.
    const [slot] = await db.sql<{ next_run_at: Date }[]>`
      update scrape_targets set lease_owner = 'instance-x' where id = ${id} returning next_run_at`;
    await recordScrape(
      db.sql,
      { ...target, nextRunAt: slot!.next_run_at },
      outcome,
      new Date(at),
      'instance-x',
      DEFAULT_SERIES_LIMITS,
    );
    const [stored] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from metric_points where ts = ${new Date(at)}`;
    expect(stored!.n).toBe(outcome.batch.points.length);
  });
});
