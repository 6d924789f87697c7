import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { ScrapeScheduler } from '../../src/monitoring/scrape-scheduler';
import { failure, refused, useTestApi, useUser } from '../helpers';
import { allowLoopback } from '../probe/checks';

// Low limits so a test batch can pass them; the defaults (20,000 and 100,000) are for real services.
const api = useTestApi({ METRICS_MAX_SERIES_PER_METRIC: '100', METRICS_MAX_SERIES_PER_SERVICE: '250' });
const maintainer = useUser(api, 'maintainer');
const admin = useUser(api, 'admin');

let key: string;
beforeAll(async () => {
  key = (await api.withKey('maintainer')).key;
  await ensureMetricPartitions(api.sql);
});

const at = Date.now() - 60_000;

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${api.baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
}

/** `n` series of one metric, each with its own value of `label`, one sample each. */
function points(name: string, service: string, label: string, from: number, n: number, ts = at) {
  return Array.from({ length: n }, (_, i) => ({
    name,
    labels: { service, environment: 'PRO', [label]: `/v${from + i}` },
    ts,
    value: i,
    kind: 'counter' as const,
  }));
}

async function counts() {
  const [row] = await api.sql<{ series: number; points: number; keys: number; audits: number }[]>`
    select (select count(*)::int from metric_series) as series, (select count(*)::int from metric_points) as points,
      (select count(*)::int from metric_ingest_keys) as keys,
      (select count(*)::int from audit_log where action like 'metrics.%') as audits`;
  return row!;
}

async function seriesOf(name: string, service: string) {
  const [row] = await api.sql<{ n: number }[]>`
    select count(*)::int as n from metric_series where name = ${name} and labels->>'service' = ${service}`;
  return row!.n;
}

describe('series limits', () => {
  it('refuse a batch that would pass the per-metric limit, naming the metric and label; nothing is stored', async () => {
    const before = await counts();
    const res = await post(
      { points: points('http_requests_total', 'shop', 'path', 0, 150) },
      { 'idempotency-key': 'too-many-paths' },
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toMatchObject({
      appCode: 'CARDINALITY_LIMIT',
      metric: 'http_requests_total',
      label: 'path',
      limit: 100,
    });
    expect(body.error).toBe(
      'metric "http_requests_total" would have 150 series (limit 100): label "path" brings 150 new values; nothing was stored',
    );
    expect(await counts()).toEqual(before);
  });

  it('accept new series up to the limit, and samples of existing series always', async () => {
    expect((await post({ points: points('http_requests_total', 'shop', 'path', 0, 100) })).status).toBe(202);
    // At the limit: one more new series is refused, by name and label.
    const extra = await post({ points: points('http_requests_total', 'shop', 'path', 100, 1) });
    expect(extra.status).toBe(422);
    expect((await extra.json()).error).toMatch(
      /^metric "http_requests_total" would have 101 series .*label "path"/,
    );
    // Existing series keep ingesting, in a batch as large as the one that created them.
    const before = await counts();
    const res = await post({ points: points('http_requests_total', 'shop', 'path', 0, 100, at + 1_000) });
    expect(res.status).toBe(202);
    expect(await counts()).toMatchObject({ series: before.series, points: before.points + 100 });
  });

  it('count exactly under concurrency: of two batches that together pass the limit, one is accepted', async () => {
    const [a, b] = await Promise.all([
      post({ points: points('queue_depth', 'mailer', 'queue', 0, 60) }),
      post({ points: points('queue_depth', 'mailer', 'queue', 1_000, 60) }),
    ]);
    expect([a!.status, b!.status].sort()).toEqual([202, 422]);
    expect(await seriesOf('queue_depth', 'mailer')).toBe(60);
  });

  it('refuse a batch that would pass the per-service limit, naming the service', async () => {
    const metric = (name: string) => points(name, 'fleet', 'shard', 0, 90);
    expect((await post({ points: [...metric('a_total'), ...metric('b_total')] })).status).toBe(202);
    const before = await counts();
    const res = await post({ points: metric('c_total') });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error:
        'service "fleet" would have 270 series (limit 250): label "shard" brings 90 new values; nothing was stored',
      service: 'fleet',
      label: 'shard',
      limit: 250,
    });
    expect(await counts()).toEqual(before);
  });

  it('metrics.push answers the coded error and stores nothing', async () => {
    const before = await counts();
    const { data, message } = await refused(
      maintainer.client.metrics.push.mutate({
        points: points('http_requests_total', 'checkout', 'route', 0, 101),
        histograms: [],
      }),
    );
    expect(data).toMatchObject({ appCode: 'CARDINALITY_LIMIT', httpStatus: 422 });
    expect(message).toMatch(/^metric "http_requests_total" would have 201 series .*label "route" brings 101/);
    expect(await counts()).toEqual(before);
  });
});

describe('limit overrides', () => {
  it('an override below the default refuses a batch the default accepts; cleared, the batch goes in', async () => {
    await admin.client.cardinality.setLimit.mutate({ scope: 'metric', key: 'orders_total', maxSeries: 10 });
    const before = await counts();
    const batch = { points: points('orders_total', 'orders', 'sku', 0, 20) };
    const res = await post(batch);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error:
        'metric "orders_total" would have 20 series (limit 10): label "sku" brings 20 new values; nothing was stored',
      limit: 10,
    });
    expect(await counts()).toEqual(before);
    await admin.client.cardinality.clearLimit.mutate({ scope: 'metric', key: 'orders_total' });
    expect((await post(batch)).status).toBe(202);
    expect(await seriesOf('orders_total', 'orders')).toBe(20);
    const audit = await api.sql<{ action: string; target_id: string; diff: unknown }[]>`
      select action, target_id, diff from audit_log where action like 'metrics.limit.%' order by id`;
    expect(audit).toEqual([
      { action: 'metrics.limit.set', target_id: 'metric:orders_total', diff: { after: { maxSeries: 10 } } },
      {
        action: 'metrics.limit.clear',
        target_id: 'metric:orders_total',
        diff: { before: { maxSeries: 10 } },
      },
    ]);
  });

  it('an override above the default lets a metric or a service grow past it', async () => {
    await admin.client.cardinality.setLimit.mutate({ scope: 'metric', key: 'tenants_total', maxSeries: 200 });
    await admin.client.cardinality.setLimit.mutate({ scope: 'service', key: 'big', maxSeries: 400 });
    expect((await post({ points: points('tenants_total', 'big', 'tenant', 0, 150) })).status).toBe(202);
    expect((await post({ points: points('shards_total', 'big', 'shard', 0, 100) })).status).toBe(202);
    // 250 series of service "big" pass the default of 250; the override holds at 400.
    const res = await post({ points: points('tenants_total', 'big', 'tenant', 150, 51) });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(/^metric "tenants_total" would have 201 series \(limit 200\)/);
    // Past the service default of 250 up to the override, not beyond.
    expect((await post({ points: points('disks_total', 'big', 'disk', 0, 100) })).status).toBe(202);
    const over = await post({ points: points('fans_total', 'big', 'fan', 0, 51) });
    expect((await over.json()).error).toMatch(/^service "big" would have 401 series \(limit 400\)/);
  });

  it('an override is validated with the bounds the form uses, and clearing none is NOT_FOUND', async () => {
    for (const maxSeries of [0, 1.5, 100_000_001])
      expect(
        await failure(
          admin.client.cardinality.setLimit.mutate({ scope: 'metric', key: 'orders_total', maxSeries }),
        ),
      ).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    expect(
      await failure(admin.client.cardinality.setLimit.mutate({ scope: 'metric', key: '1bad', maxSeries: 5 })),
    ).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    expect(
      await failure(admin.client.cardinality.clearLimit.mutate({ scope: 'service', key: 'nobody' })),
    ).toMatchObject({ appCode: 'NOT_FOUND' });
  });

  it('deleted series no longer count against the limit', async () => {
    // http_requests_total of shop is at its limit of 100 (above).
    expect((await post({ points: points('http_requests_total', 'shop', 'path', 500, 1) })).status).toBe(422);
    const selector = { name: 'http_requests_total', labels: { service: 'shop' } };
    const { series } = await admin.client.cardinality.previewDelete.query(selector);
    expect(series).toBe(100);
    await admin.client.cardinality.deleteSeries.mutate({ ...selector, expected: series });
    expect((await post({ points: points('http_requests_total', 'shop', 'path', 500, 1) })).status).toBe(202);
  });
});

describe('a scrape over a series limit', () => {
  let exporterUrl: string;
  let closeExporter: () => void;
  beforeAll(async () => {
    const admin = await api.asUser('admin');
    await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
    const body = Array.from({ length: 150 }, (_, i) => `jobs_total{tenant="t${i}"} ${i}`).join('\n');
    const server = createServer((_req, res) => res.end(`# TYPE jobs_total counter\n${body}\n`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    exporterUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    closeExporter = () => server.close();
  });
  afterAll(() => closeExporter?.());

  it('is recorded as a failed scrape with the reason, storing only up = 0', async () => {
    const svc = await maintainer.client.services.create.mutate({ name: 'Tenants' });
    const env = (await maintainer.client.environments.list.query())[0]!;
    const target = await maintainer.client.scrapeTargets.create.mutate({
      service: svc.slug,
      target: { environmentId: env.id, url: exporterUrl, intervalSeconds: 15 },
    });
    await api.sql`update scrape_targets set next_run_at = now() where id = ${target.id}`;
    const reported: (string | null)[] = [];
    const scheduler = new ScrapeScheduler({
      sql: api.sql,
      instance: 'test',
      concurrency: 1,
      pollMs: 1_000,
      leaseMarginMs: 500,
      probeOptions: async () => allowLoopback,
      logger: pino({ level: 'silent' }),
      onScrape: (o) => reported.push(o.error),
      limits: { perMetric: 100, perService: 1_000 },
    });
    await scheduler.tick();
    await scheduler.stop();

    const reason =
      /^metric "jobs_total" would have 150 series \(limit 100\): label "tenant" brings 150 new values/;
    expect(reported).toEqual([expect.stringMatching(reason)]);
    const [listed] = await maintainer.client.scrapeTargets.list.query({ service: svc.slug });
    expect(listed!.lastError).toMatch(reason);
    expect(await seriesOf('jobs_total', svc.slug)).toBe(0);
    const up = await api.sql<{ value: number }[]>`
      select p.value from metric_points p join metric_series s on s.id = p.series_id
      where s.name = 'up' and s.labels->>'service' = ${svc.slug}`;
    expect(up).toEqual([{ value: 0 }]);
  });
});
