import { beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions, metricsJobs } from '../../src/monitoring/metrics-jobs';
import { failure, useTestApi, useUser } from '../helpers';

const api = useTestApi({ METRICS_MAX_SERIES_PER_METRIC: '5000', METRICS_MAX_SERIES_PER_SERVICE: '9000' });
const admin = useUser(api, 'admin');
const maintainer = useUser(api, 'maintainer');
const viewer = useUser(api, 'viewer');

const at = Date.now() - 60_000;
const point = (name: string, labels: Record<string, string>) => ({ name, labels, ts: at, value: 1 });

beforeAll(async () => {
  await ensureMetricPartitions(api.sql);
  await maintainer.client.metrics.push.mutate({
    points: [
      // 12 routes × 2 statuses; 3 instances would say nothing more of a label that grows.
      ...Array.from({ length: 24 }, (_, i) =>
        point('http_requests_total', {
          service: 'shop',
          route: `/r${i % 12}`,
          status: i < 12 ? '200' : '500',
        }),
      ),
      ...Array.from({ length: 3 }, (_, i) => point('queue_depth', { service: 'mailer', queue: `q${i}` })),
    ],
    histograms: [],
  });
  // Two of the routes' series were made two days ago (UTC), as if the metric had grown since.
  await api.sql`
    update metric_series set created_at = now() - interval '2 days'
    where name = 'http_requests_total' and labels->>'route' in ('/r0', '/r1') and labels->>'status' = '200'`;
});
describe('cardinality procedures', () => {
  it('list metrics and services by series count, with their limits, new series in 24 h and growth per day', async () => {
    // Snapshots of the two days before today (UTC); the days before have none.
    await api.sql`
      insert into metric_cardinality_daily (day, name, series) values
        ((now() at time zone 'UTC')::date - 2, 'http_requests_total', 10),
        ((now() at time zone 'UTC')::date - 1, 'http_requests_total', 20),
        ((now() at time zone 'UTC')::date - 1, 'queue_depth', 3)`;
    const o = await admin.client.cardinality.overview.query();
    expect(o.limits).toEqual({ perMetric: 5000, perService: 9000 });
    expect(o.overrides).toEqual([]);
    expect(o).toMatchObject({ series: 27, metrics: 2 });
    expect(o.top).toEqual([
      {
        name: 'http_requests_total',
        series: 24,
        limit: 5000,
        // The two aged series are older than a day.
        new24h: 22,
        perDay: [null, null, null, null, null, 10, 20, 24],
        growth: [null, null, null, null, null, 10, 4],
      },
      {
        name: 'queue_depth',
        series: 3,
        limit: 5000,
        new24h: 3,
        perDay: [null, null, null, null, null, null, 3, 3],
        growth: [null, null, null, null, null, null, 0],
      },
    ]);
    expect(o.services).toEqual([
      { service: 'shop', series: 24, limit: 9000 },
      { service: 'mailer', series: 3, limit: 9000 },
    ]);
  });

  it('show the overrides as the limits of their metric and service', async () => {
    await admin.client.cardinality.setLimit.mutate({ scope: 'metric', key: 'queue_depth', maxSeries: 40 });
    await admin.client.cardinality.setLimit.mutate({ scope: 'service', key: 'shop', maxSeries: 300 });
    const o = await admin.client.cardinality.overview.query();
    expect(o.overrides.map(({ scope, key, maxSeries }) => ({ scope, key, maxSeries }))).toEqual([
      { scope: 'metric', key: 'queue_depth', maxSeries: 40 },
      { scope: 'service', key: 'shop', maxSeries: 300 },
    ]);
    expect(o.top.map((m) => [m.name, m.limit])).toEqual([
      ['http_requests_total', 5000],
      ['queue_depth', 40],
    ]);
    expect(o.services.map((s) => [s.service, s.limit])).toEqual([
      ['shop', 300],
      ['mailer', 9000],
    ]);
    await admin.client.cardinality.clearLimit.mutate({ scope: 'metric', key: 'queue_depth' });
    await admin.client.cardinality.clearLimit.mutate({ scope: 'service', key: 'shop' });
    expect((await admin.client.cardinality.overview.query()).overrides).toEqual([]);
  });

  it("list one metric's labels by distinct values, with the most common values", async () => {
    expect(await admin.client.cardinality.labels.query({ name: 'http_requests_total' })).toEqual([
      { label: 'route', values: 12, top: ['/r0', '/r1', '/r10', '/r11', '/r2'] },
      { label: 'status', values: 2, top: ['200', '500'] },
      { label: 'service', values: 1, top: ['shop'] },
    ]);
    expect(await admin.client.cardinality.labels.query({ name: 'no_such_metric' })).toEqual([]);
  });

  it('preview a delete: the count and up to 20 label sets', async () => {
    const preview = await admin.client.cardinality.previewDelete.query({
      name: 'http_requests_total',
      labels: { status: '500' },
    });
    expect(preview.series).toBe(12);
    expect(preview.samples).toHaveLength(12);
    expect(new Set(preview.samples.map((l) => l.route)).size).toBe(12);
    expect(preview.samples.every((l) => l.status === '500' && l.service === 'shop')).toBe(true);
    const all = await admin.client.cardinality.previewDelete.query({ name: 'http_requests_total' });
    expect(all.series).toBe(24);
    expect(all.samples).toHaveLength(20);
    expect(await admin.client.cardinality.previewDelete.query({ name: 'no_such_metric' })).toEqual({
      series: 0,
      samples: [],
    });
  });

  it('refuse a delete whose previewed count no longer holds, deleting nothing', async () => {
    const before = await api.sql`select id from metric_series order by id`;
    expect(
      await failure(
        admin.client.cardinality.deleteSeries.mutate({
          name: 'http_requests_total',
          labels: { status: '500' },
          expected: 11,
        }),
      ),
    ).toMatchObject({ appCode: 'CONFLICT', httpStatus: 409 });
    expect(await api.sql`select id from metric_series order by id`).toEqual(before);
    const [n] = await api.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'metrics.series.delete'`;
    expect(n!.n).toBe(0);
  });

  it('delete series by labels, audited; samples sent later make new series, and the limit counts them afresh', async () => {
    // Every partitioned table: a delete leaves their rows to retention.
    const points = () => api.sql<{ n: number }[]>`
      select ((select count(*) from metric_points) + (select count(*) from metric_histograms)
        + (select count(*) from metric_rollups_1m) + (select count(*) from metric_rollups_1h))::int as n`;
    const [before] = await points();
    const gone = await admin.client.cardinality.deleteSeries.mutate({
      name: 'http_requests_total',
      labels: { status: '500' },
      expected: 12,
    });
    expect(gone).toEqual({ series: 12 });
    // Their samples are left for retention's partition drops: no row deletes on partitioned tables.
    expect((await points())[0]).toEqual(before);
    const labels = await admin.client.cardinality.labels.query({ name: 'http_requests_total' });
    expect(labels.find((l) => l.label === 'status')).toEqual({ label: 'status', values: 1, top: ['200'] });
    const [audit] = await api.sql<{ target_id: string; after: unknown }[]>`
      select target_id, diff->'after' as after from audit_log where action = 'metrics.series.delete'`;
    expect(audit).toEqual({
      target_id: 'http_requests_total',
      after: { labels: { status: '500' }, series: 12 },
    });
    // Nothing left to delete is a NOT_FOUND on the labels field, and writes no audit row.
    expect(
      await failure(
        admin.client.cardinality.deleteSeries.mutate({
          name: 'http_requests_total',
          labels: { status: '500' },
          expected: 12,
        }),
      ),
    ).toMatchObject({ appCode: 'NOT_FOUND' });
    await maintainer.client.metrics.push.mutate({
      points: [point('http_requests_total', { service: 'shop', route: '/r0', status: '500' })],
      histograms: [],
    });
    const o = await admin.client.cardinality.overview.query();
    expect(o.top.find((m) => m.name === 'http_requests_total')!.series).toBe(13);
    // No labels: every series of the metric.
    expect(await admin.client.cardinality.deleteSeries.mutate({ name: 'queue_depth', expected: 3 })).toEqual({
      series: 3,
    });
    const [n] = await api.sql<
      { n: number }[]
    >`select count(*)::int as n from audit_log where action = 'metrics.series.delete'`;
    expect(n!.n).toBe(2);
  });

  it('snapshot series per metric each day, idempotently, keeping 90 days', async () => {
    const job = metricsJobs({ rawDays: 7, minuteDays: 30, hourDays: 400, self: null }).find(
      (j) => j.name === 'metrics.cardinality-daily',
    )!;
    await api.sql`
      insert into metric_cardinality_daily (day, name, series) values
        ((now() at time zone 'UTC')::date - 91, 'old_total', 1),
        ((now() at time zone 'UTC')::date - 90, 'kept_total', 1),
        ((now() at time zone 'UTC')::date, 'queue_depth', 3)`;
    const today = () => api.sql<{ name: string; series: number }[]>`
      select name, series from metric_cardinality_daily where day = (now() at time zone 'UTC')::date order by name`;
    await job.run(api.sql);
    // queue_depth's series were all deleted: today's stale count goes too.
    expect(await today()).toEqual([{ name: 'http_requests_total', series: 13 }]);
    await job.run(api.sql);
    expect(await today()).toEqual([{ name: 'http_requests_total', series: 13 }]);
    const old = await api.sql<{ name: string }[]>`
      select name from metric_cardinality_daily where name in ('old_total', 'kept_total')`;
    expect(old).toEqual([{ name: 'kept_total' }]);
  });

  it('are for admins only', async () => {
    // Thunks: each call starts only when awaited, so none is refused unobserved.
    const calls = (c: typeof admin.client) => [
      () => c.cardinality.overview.query(),
      () => c.cardinality.labels.query({ name: 'http_requests_total' }),
      () => c.cardinality.previewDelete.query({ name: 'http_requests_total' }),
      () => c.cardinality.deleteSeries.mutate({ name: 'http_requests_total', expected: 13 }),
      () => c.cardinality.setLimit.mutate({ scope: 'metric', key: 'http_requests_total', maxSeries: 1 }),
      () => c.cardinality.clearLimit.mutate({ scope: 'metric', key: 'http_requests_total' }),
    ];
    for (const user of [viewer, maintainer])
      for (const call of calls(user.client))
        expect(await failure(call())).toMatchObject({ appCode: 'FORBIDDEN' });
    expect((await admin.client.cardinality.previewDelete.query({ name: 'http_requests_total' })).series).toBe(
      13,
    );
    const [limits] = await api.sql<{ n: number }[]>`select count(*)::int as n from metric_limits`;
    expect(limits!.n).toBe(0);
  });
});
