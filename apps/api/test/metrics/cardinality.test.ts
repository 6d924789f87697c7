import { beforeAll, describe, expect, it } from 'vitest';
import { ensureMetricPartitions } from '../../src/monitoring/metrics-jobs';
import { failure, useTestApi, useUser } from '../helpers';

const api = useTestApi({ METRICS_MAX_SERIES_PER_METRIC: '5000', METRICS_MAX_SERIES_PER_SERVICE: '9000' });
const admin = useUser(api, 'admin');
const maintainer = useUser(api, 'maintainer');

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
  it('list metrics and services by series count, with new series per day and the limits', async () => {
    const o = await admin.client.cardinality.overview.query();
    expect(o.limits).toEqual({ perMetric: 5000, perService: 9000 });
    expect(o).toMatchObject({ series: 27, metrics: 2 });
    expect(o.top.map((m) => [m.name, m.series])).toEqual([
      ['http_requests_total', 24],
      ['queue_depth', 3],
    ]);
    // Per UTC day, oldest first: the two aged series on their day, the rest today.
    expect(o.top[0]!.newPerDay).toEqual([0, 0, 0, 0, 2, 0, 22]);
    expect(o.top[1]!.newPerDay).toEqual([0, 0, 0, 0, 0, 0, 3]);
    expect(o.services).toEqual([
      { service: 'shop', series: 24 },
      { service: 'mailer', series: 3 },
    ]);
  });

  it("list one metric's labels by distinct values, with the most common values", async () => {
    expect(await admin.client.cardinality.labels.query({ name: 'http_requests_total' })).toEqual([
      { label: 'route', values: 12, top: ['/r0', '/r1', '/r10', '/r11', '/r2'] },
      { label: 'status', values: 2, top: ['200', '500'] },
      { label: 'service', values: 1, top: ['shop'] },
    ]);
    expect(await admin.client.cardinality.labels.query({ name: 'no_such_metric' })).toEqual([]);
  });

  it('delete series by labels, audited; samples sent later make new series, and the limit counts them afresh', async () => {
    const points = () => api.sql<{ n: number }[]>`select count(*)::int as n from metric_points`;
    const [before] = await points();
    const gone = await admin.client.cardinality.deleteSeries.mutate({
      name: 'http_requests_total',
      labels: { status: '500' },
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
    expect(await admin.client.cardinality.deleteSeries.mutate({ name: 'queue_depth' })).toEqual({
      series: 3,
    });
    const [n] = await api.sql<
      { n: number }[]
    >`select count(*)::int as n from audit_log where action = 'metrics.series.delete'`;
    expect(n!.n).toBe(2);
  });

  it('are for admins only', async () => {
    expect(await failure(maintainer.client.cardinality.overview.query())).toMatchObject({
      appCode: 'FORBIDDEN',
    });
  });
});
