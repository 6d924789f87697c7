import { expect, test } from './fixtures';
import { asAdmin, createUserInConsole, firstSignIn } from './helpers';

const pointsOf = async (page: import('@playwright/test').Page, key: string) =>
  Number(await page.getByTestId(`chart-${key}`).getAttribute('data-points'));

test("the dashboard for Sextant's own API shows RED charts; the range lives in the URL; a viewer can open it", async ({
  openPage,
}) => {
  test.setTimeout(120_000);
  const admin = await openPage();
  await asAdmin(admin);
  const password = await createUserInConsole(admin, 'metrics-viewer@e2e.local', 'viewer');

  await admin.goto('/metrics/sextant-api/PRO');
  // The API scrapes itself every few seconds; the page refreshes on its own until the charts fill.
  for (const key of ['requests', 'errors', 'latency']) {
    await expect.poll(() => pointsOf(admin, key), { timeout: 60_000, intervals: [1_000] }).toBeGreaterThan(0);
  }
  // Dashboards read the service tier: one row per service × environment × status class, whatever the routes.
  await expect(admin.getByTestId('chart-requests')).toHaveAttribute('data-tier', 'service-1m');

  await admin.getByTestId('range-picker').getByRole('button', { name: '7d', exact: true }).click();
  await expect(admin).toHaveURL(/[?&]range=7d/);
  await expect(admin.getByTestId('chart-requests')).toHaveAttribute('data-tier', 'service-1h');

  await admin.goto('/metrics');
  await expect(admin.locator('[data-testid="fleet-row"][data-service="sextant-api"]')).toBeVisible();

  const viewer = await openPage();
  await firstSignIn(viewer, 'metrics-viewer@e2e.local', password, 'metrics-viewer-password-1');
  await viewer.goto('/metrics/sextant-api/PRO?range=15m');
  await expect
    .poll(() => pointsOf(viewer, 'requests'), { timeout: 30_000, intervals: [1_000] })
    .toBeGreaterThan(0);
});
