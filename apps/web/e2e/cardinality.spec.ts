import { expect, test } from '@playwright/test';
import { ADMIN, signIn, trpcFromPage } from './helpers';

test('an admin finds the metric with the most series on the Cardinality page, and the label that makes them', async ({
  page,
}) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // 15 paths × 2 statuses of one service: 30 new series today.
  const ts = Date.now() - 30_000;
  const points = Array.from({ length: 30 }, (_, i) => ({
    name: 'e2e_cardinality_total',
    labels: { service: 'e2e-cardinality', path: `/p${i % 15}`, status: i < 15 ? '200' : '500' },
    ts,
    value: i,
    kind: 'counter',
  }));
  expect((await trpcFromPage(page, 'metrics.push', { points, histograms: [] })).status).toBe(200);

  await page.getByRole('link', { name: 'Cardinality' }).click();
  await expect(page.getByRole('heading', { name: 'Cardinality' })).toBeVisible();
  await expect(page.getByText('is refused')).toContainText('more than 20,000 series');
  const row = page.locator('[data-testid="cardinality-metric"][data-name="e2e_cardinality_total"]');
  await expect(row.getByTestId('series')).toHaveText('30');
  await expect(row.getByTestId('new-per-day')).toHaveText(/· 30$/);
  await expect(
    page.locator('[data-testid="cardinality-service"][data-name="e2e-cardinality"]'),
  ).toContainText('30');

  await row.getByRole('link', { name: 'e2e_cardinality_total' }).click();
  await expect(page).toHaveURL(/\/cardinality\?metric=e2e_cardinality_total/);
  const labels = page.getByTestId('cardinality-label');
  await expect(labels.first()).toHaveAttribute('data-name', 'path');
  await expect(labels.first().getByTestId('values')).toHaveText('15');
  await expect(
    page.locator('[data-testid="cardinality-label"][data-name="status"]').getByTestId('values'),
  ).toHaveText('2');

  // Delete the 500s: the typed confirmation first, then the series are gone and the deletion is audited.
  await page.getByRole('button', { name: 'Delete series…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Only series with these labels (optional)').fill('status=500');
  await dialog.getByLabel('Type the metric name to confirm').fill('e2e_cardinality');
  await dialog.getByRole('button', { name: 'Delete series' }).click();
  await expect(dialog.getByText('Type e2e_cardinality_total to confirm.')).toBeVisible();
  await dialog.getByLabel('Type the metric name to confirm').fill('e2e_cardinality_total');
  await dialog.getByRole('button', { name: 'Delete series' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Deleted 15 series of e2e_cardinality_total.')).toBeVisible();
  await expect(row.getByTestId('series')).toHaveText('15');
  await expect(
    page.locator('[data-testid="cardinality-label"][data-name="status"]').getByTestId('values'),
  ).toHaveText('1');

  await page.getByRole('link', { name: 'Close' }).click();
  await expect(page.getByTestId('cardinality-labels')).toBeHidden();
  await page.goto('/audit?action=metrics.series.delete');
  await expect(page.getByTestId('audit')).toContainText('e2e_cardinality_total');
});
