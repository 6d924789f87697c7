import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { OVERLOADED_API_MESSAGE, trpcErrorBody } from '@sextant/trpc/error-codes';
import { OVERLOADED_MESSAGE } from '../src/trpc/overload-link';
import { API_URL, asAdmin, trpcFromPage } from './helpers';

test.beforeEach(async ({ page }, testInfo) => {
  if (testInfo.title.includes('security headers')) return;
  await asAdmin(page);
});

test('Overview shows live system.info from the real API', async ({ page, request }) => {
  const api = await request.get(`http://127.0.0.1:${process.env.E2E_API_PORT ?? '4210'}/trpc/system.info`);
  expect(api.ok()).toBe(true);
  const version = (await api.json()).result.data.json.version as string;

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const info = page.getByTestId('system-info');
  await expect(info.getByTestId('version')).toContainText(version);
  await expect(info.getByTestId('db-status')).toContainText('up');
  await expect(info.getByTestId('migrations')).toContainText(/\d{4}_\w+/);
  const rows = page.getByTestId('environments').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.locator('td:nth-child(2)')).toHaveText(['DEV', 'FAT', 'UAT', 'PRO']);
  await expect(rows.nth(3)).toContainText('production');
});

test('Overview keeps refreshing: uptime advances without a reload', async ({ page }) => {
  await page.goto('/');
  const uptime = page.getByTestId('uptime');
  await expect(uptime).toBeVisible();
  const first = await uptime.textContent();
  await expect(uptime).not.toHaveText(first ?? '', { timeout: 12_000 });
});

test('the browser talks to the API only through the same-origin proxy', async ({ page }) => {
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/trpc/')) calls.push(new URL(r.url()).host + new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page.getByTestId('version')).toBeVisible();
  await page.waitForTimeout(6_000);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) expect(call).toMatch(/^127\.0\.0\.1:\d+\/api\/trpc\//);
});

test('unknown pages get a clean 404 with a way back', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
});

test('the theme toggle switches between light and dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).not.toHaveClass(/dark/);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveClass(/dark/);
  await page.reload();
  await expect(html).toHaveClass(/dark/);
});

test('console pages carry security headers', async ({ request }) => {
  const res = await request.get('/signin');
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(res.headers()['cache-control']).toContain('no-store');
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['x-frame-options']).toBe('DENY');
  expect(res.headers()['referrer-policy']).toBeTruthy();
  expect(res.headers()['x-powered-by']).toBeUndefined();
});

/** A new service whose one heartbeat has just pinged: `''` makes it up, `'/fail'` down, both at once. */
async function serviceWithHeartbeat(
  page: Page,
  request: APIRequestContext,
  name: string,
  ping: '' | '/fail',
) {
  const service = await trpcFromPage(page, 'services.create', { name });
  expect(service.status).toBe(200);
  const slug = service.json.result.data.json.slug as string;
  const heartbeat = { name: `${name} job`, periodSeconds: 3_600 };
  const created = await trpcFromPage(page, 'heartbeats.create', { service: slug, heartbeat });
  expect(created.status).toBe(200);
  const token = created.json.result.data.json.token as string;
  expect((await request.get(`${API_URL}/ping/${token}${ping}`)).status()).toBe(200);
}

const RANK: Record<string, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

test('the Overview lists a DOWN service first, the rest by state, and the change that took it down', async ({
  page,
  request,
}) => {
  const stamp = Date.now();
  const healthy = `AAA Healthy ${stamp}`;
  const failing = `ZZZ Failing ${stamp}`;
  // Named so that alphabetical order would put the healthy one first.
  await serviceWithHeartbeat(page, request, healthy, '');
  await serviceWithHeartbeat(page, request, failing, '/fail');

  await page.goto('/');
  const rows = page.getByTestId('services-by-state').getByTestId('service-state-row');
  await expect(rows.first().locator('[data-status]')).toHaveAttribute('data-status', 'down');
  const states = await rows.locator('[data-status]').evaluateAll((els) => els.map((e) => e.dataset.status!));
  const ranks = states.map((s) => RANK[s]);
  expect(ranks).toEqual([...ranks].sort((a, b) => a! - b!));
  const names = await rows.getByRole('link').allTextContents();
  expect(states[names.indexOf(failing)]).toBe('down');
  expect(states[names.indexOf(healthy)]).toBe('up');

  const change = page
    .getByTestId('state-changes')
    .getByTestId('state-change-row')
    .filter({ hasText: failing });
  await expect(change.first()).toContainText('failure reported');
  await expect(change.first().locator('[data-status]').last()).toHaveAttribute('data-status', 'down');
});

test('a 503 from the API shows the overload message, not an internal error', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('version')).toBeVisible();
  // From here the API sheds load: every call gets the 503 body the API sends then (apps/api/test/load-shedding.test.ts
  // stalls a real API for it); a stall that trips the shared e2e API's 1 s limit would fail the other specs.
  await page.route('**/api/trpc/**', (route) =>
    route.fulfill({
      status: 503,
      headers: { 'retry-after': '10' },
      contentType: 'application/json',
      body: JSON.stringify(trpcErrorBody(503, OVERLOADED_API_MESSAGE)),
    }),
  );
  // The next refresh fails; the last answer stays on screen with the reason.
  await expect(page.getByTestId('overview-error')).toHaveText(
    `Showing the last known state: ${OVERLOADED_MESSAGE}`,
    {
      timeout: 15_000,
    },
  );
  await expect(page.getByTestId('version')).toBeVisible();
  await expect(page.getByText('Internal server error')).toHaveCount(0);
});
