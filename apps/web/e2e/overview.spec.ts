import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './helpers';

test.beforeEach(async ({ page }, testInfo) => {
  if (testInfo.title.includes('security headers')) return;
  await signIn(page, ADMIN.email, ADMIN.password);
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
