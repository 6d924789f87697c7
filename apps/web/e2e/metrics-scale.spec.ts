import { expect, test } from '@playwright/test';
import { API_URL, asAdmin, trpcFromPage } from './helpers';

const SERIES = 5_000;
const SAMPLES = 12;

test('the dashboard of a service with 5,000 http_requests_total series draws every chart, and the fleet lists it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await asAdmin(page);
  const created = await trpcFromPage(page, 'apiKeys.create', { name: 'scale seed', role: 'maintainer' });
  expect(created.status).toBe(200);
  const key = created.json.result.data.json.key as string;
  const post = async (body: unknown) => {
    const res = await fetch(`${API_URL}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
  };
  // 250 routes × 4 statuses × 5 instances, a sample every 30 s for the last 6 minutes.
  const t0 = Date.now() - SAMPLES * 30_000;
  const base = { service: 'scale-shop', environment: 'PRO' };
  const requests = Array.from({ length: SERIES }, (_, i) => ({
    ...base,
    route: `/r${i % 250}`,
    status: ['200', '404', '500', '503'][Math.floor(i / 250) % 4]!,
    instance: `i${Math.floor(i / 1_000)}`,
  }));
  for (let j = 0; j < SAMPLES; j += 4)
    await post({
      points: requests.flatMap((labels, i) =>
        [j, j + 1, j + 2, j + 3].map((s) => ({
          name: 'http_requests_total',
          labels,
          ts: t0 + s * 30_000,
          value: (s + 1) * (1 + (i % 3)),
          kind: 'counter',
        })),
      ),
    });
  const instances = ['i0', 'i1', 'i2'];
  await post({
    points: instances.flatMap((instance, i) =>
      Array.from({ length: SAMPLES }, (_, s) => [
        {
          name: 'process_cpu_seconds_total',
          labels: { ...base, instance },
          ts: t0 + s * 30_000,
          value: s * 3 + i,
          kind: 'counter',
        },
        {
          name: 'process_resident_memory_bytes',
          labels: { ...base, instance },
          ts: t0 + s * 30_000,
          value: 1e8 + i,
        },
      ]).flat(),
    ),
    histograms: Array.from({ length: 600 }, (_, i) => i).flatMap((i) =>
      Array.from({ length: SAMPLES }, (_, s) => ({
        name: 'http_request_duration_seconds',
        labels: { ...base, route: `/r${i % 200}`, instance: instances[i % 3]! },
        ts: t0 + s * 30_000,
        buckets: [
          { le: 0.1, count: (s + 1) * 2 },
          { le: 0.5, count: (s + 1) * 3 },
          { le: '+Inf', count: (s + 1) * 4 },
        ],
        sum: (s + 1) * 0.8,
        count: (s + 1) * 4,
      })),
    ),
  });

  await page.goto('/metrics/scale-shop/PRO?range=15m');
  for (const chart of ['requests', 'errors', 'latency', 'cpu', 'memory']) {
    await expect
      .poll(async () => Number(await page.getByTestId(`chart-${chart}`).getAttribute('data-points')), {
        timeout: 60_000,
        intervals: [1_000],
      })
      .toBeGreaterThan(0);
    // From the service tier: the 5,000 per-route series are never read.
    await expect(page.getByTestId(`chart-${chart}`)).toHaveAttribute('data-tier', 'service-1m');
  }
  await expect(page.getByText(/the limit is 500/)).toHaveCount(0);

  await page.goto('/metrics');
  await expect(page.locator('[data-testid="fleet-row"][data-service="scale-shop"]')).toBeVisible();
});
