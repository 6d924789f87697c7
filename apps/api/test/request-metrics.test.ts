import { METHODS } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

let api: TestApi;

beforeAll(async () => {
  // No rate limit: every request below must reach the router and be counted.
  api = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
});
afterAll(async () => {
  await api?.close();
});

const HTTP_METRICS = ['sextant_http_requests_total', 'sextant_http_request_duration_seconds'];

/** Every series of the request metrics, as `name{labels}` strings. */
async function requestSeries(): Promise<string[]> {
  const metrics = await api.app.sextantMetrics.registry.getMetricsAsJSON();
  return metrics
    .filter((m) => HTTP_METRICS.includes(m.name))
    .flatMap((m) =>
      (m.values as { metricName?: string; labels: Record<string, string | number> }[]).map(
        (v) => `${v.metricName ?? m.name}${JSON.stringify(v.labels)}`,
      ),
    );
}

async function labelValues(label: string): Promise<Set<string>> {
  const metrics = await api.app.sextantMetrics.registry.getMetricsAsJSON();
  const counter = metrics.find((m) => m.name === 'sextant_http_requests_total')!;
  return new Set(
    (counter.values as { labels: Record<string, string | number> }[]).map((v) => String(v.labels[label])),
  );
}

/** The i-th made-up request: bogus procedures, bogus batches (alone and next to a real one), unknown routes. */
function bogus(i: number): { method: 'GET' | 'POST'; url: string } {
  switch (i % 5) {
    case 0:
      return { method: 'GET', url: `/trpc/made.up${i}` };
    case 1:
      return { method: 'GET', url: `/trpc/a${i},b${i},c${i}?batch=1&input={}` };
    case 2:
      return { method: 'GET', url: `/trpc/system.info,nope${i}?batch=1&input={}` };
    case 3:
      return { method: 'POST', url: `/trpc/x${i}.y` };
    default:
      return { method: 'GET', url: `/no/such/route/${i}` };
  }
}

describe('request metrics labels', () => {
  it('10,000 made-up paths add no series: unknown procedures and unmatched routes are one value each', async () => {
    // The first rounds create the few label sets bogus requests may have (unknown/unmatched × method × status).
    for (let i = 0; i < 50; i++) await api.app.inject(bogus(i));
    const before = await requestSeries();
    for (let i = 50; i < 10_050; i++) await api.app.inject(bogus(i));
    const after = await requestSeries();
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
    const procedures = await labelValues('procedure');
    expect([...procedures].filter((p) => /\d/.test(p))).toEqual([]);
    expect(procedures).toContain('unknown');
    expect(procedures).toContain('unmatched');
  });

  it('known procedures keep their own label, also inside a batch', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/trpc/system.info,environments.list?batch=1&input={}',
    });
    expect(res.statusCode).toBeLessThan(500);
    await api.app.inject({ method: 'GET', url: '/healthz' });
    const procedures = await labelValues('procedure');
    expect(procedures).toContain('system.info');
    expect(procedures).toContain('environments.list');
    expect(procedures).toContain('/healthz');
  });

  it('the method label takes a few known values, whatever method a client sends', async () => {
    for (const method of METHODS.filter((m) => m !== 'CONNECT')) {
      await api.app.inject({ method: method as 'GET', url: '/no/such/route' });
    }
    const methods = await labelValues('method');
    const known = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other'];
    expect([...methods].filter((m) => !known.includes(m))).toEqual([]);
    expect(methods).toContain('other');
  });
});
