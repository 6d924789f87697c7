import { expect, test } from '@playwright/test';
import { asAdmin, trpcFromPage } from './helpers';

const METRIC = 'e2e_cardinality_total';

test('an admin finds the metric with the most series on the Cardinality page, and the label that makes them', async ({
  page,
}) => {
  // A long walk through the page (limit, preview, delete, audit) on a shared machine.
  test.setTimeout(90_000);
  await asAdmin(page);
  // 15 paths × 2 statuses of one service: 30 new series today.
  const ts = Date.now() - 30_000;
  const point = (path: string, status: string, value: number) => ({
    name: METRIC,
    labels: { service: 'e2e-cardinality', path, status },
    ts,
    value,
    kind: 'counter',
  });
  const points = Array.from({ length: 30 }, (_, i) => point(`/p${i % 15}`, i < 15 ? '200' : '500', i));
  expect((await trpcFromPage(page, 'metrics.push', { points, histograms: [] })).status).toBe(200);

  await page.getByRole('link', { name: 'Cardinality' }).click();
  await expect(page.getByRole('heading', { name: 'Cardinality' })).toBeVisible();
  await expect(page.getByText('is refused')).toContainText('more than 20,000 series');
  const row = page.locator(`[data-testid="cardinality-metric"][data-name="${METRIC}"]`);
  await expect(row.getByTestId('series')).toHaveText('30');
  await expect(row.getByTestId('limit')).toHaveText('20,000');
  await expect(row.getByTestId('new-24h')).toHaveText('30');
  // No daily snapshot before today's yet: growth is unknown.
  await expect(row.getByTestId('growth')).toHaveText('–');
  await expect(
    page.locator('[data-testid="cardinality-service"][data-name="e2e-cardinality"]'),
  ).toContainText('30');

  // A limit below the default, set on the page: the form checks the bounds, then new series are refused.
  await page.getByLabel('Metric or service').fill(METRIC);
  await page.getByLabel('Max series').fill('0');
  await page.getByRole('button', { name: 'Set limit' }).click();
  await expect(page.getByText('At least 1.')).toBeVisible();
  await page.getByLabel('Max series').fill('30');
  await page.getByRole('button', { name: 'Set limit' }).click();
  await expect(page.getByText(`The metric ${METRIC} may have 30 series.`)).toBeVisible();
  await expect(
    page.locator(`[data-testid="cardinality-limit"][data-name="metric:${METRIC}"]`).getByTestId('max-series'),
  ).toHaveText('30');
  await expect(row.getByTestId('limit')).toHaveText('30');
  const refused = await trpcFromPage(page, 'metrics.push', {
    points: [point('/new', '200', 1)],
    histograms: [],
  });
  expect(refused.status).toBe(422);
  expect(refused.json.error.json.message).toMatch(
    /^metric "e2e_cardinality_total" would have 31 series \(limit 30\)/,
  );

  await row.getByRole('link', { name: METRIC }).click();
  await expect(page).toHaveURL(/\/cardinality\?metric=e2e_cardinality_total/);
  const labels = page.getByTestId('cardinality-label');
  await expect(labels.first()).toHaveAttribute('data-name', 'path');
  await expect(labels.first().getByTestId('values')).toHaveText('15');
  await expect(
    page.locator('[data-testid="cardinality-label"][data-name="status"]').getByTestId('values'),
  ).toHaveText('2');

  // Delete the 500s: a preview of what goes, then the typed confirmation enables the delete.
  await page.getByRole('button', { name: 'Delete series…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Only series with these labels (optional)').fill('status=500');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('delete-count')).toHaveText('15 series would be deleted:');
  await expect(dialog.getByTestId('delete-preview').locator('li')).toHaveCount(15);
  await expect(dialog.getByTestId('delete-preview')).toContainText('status="500"');
  const remove = dialog.getByRole('button', { name: 'Delete 15 series' });
  await expect(remove).toBeDisabled();
  await dialog.getByLabel('Type the metric name to confirm').fill('e2e_cardinality');
  await expect(remove).toBeDisabled();
  await dialog.getByLabel('Type the metric name to confirm').fill(METRIC);
  await remove.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Deleted 15 series of ${METRIC}.`)).toBeVisible();
  await expect(row.getByTestId('series')).toHaveText('15');
  await expect(
    page.locator('[data-testid="cardinality-label"][data-name="status"]').getByTestId('values'),
  ).toHaveText('1');

  // Cleared, the default applies again.
  await page.getByRole('button', { name: `Clear the limit of metric ${METRIC}` }).click();
  await expect(page.getByText(`The metric ${METRIC} is back to the default limit.`)).toBeVisible();
  await expect(row.getByTestId('limit')).toHaveText('20,000');
  await expect(page.getByText('No overrides')).toBeVisible();

  await page.getByRole('link', { name: 'Close' }).click();
  await expect(page.getByTestId('cardinality-labels')).toBeHidden();
  await page.goto('/audit?action=metrics.series.delete');
  await expect(page.getByTestId('audit')).toContainText(METRIC);
  await page.goto('/audit?action=metrics.limit.set');
  await expect(page.getByTestId('audit')).toContainText(`metric:${METRIC}`);
  // The action field suggests what the trail holds, these two included.
  const suggested = page.locator('datalist#audit-actions option');
  await expect(suggested.and(page.locator('[value="metrics.limit.set"]'))).toHaveCount(1);
  await expect(suggested.and(page.locator('[value="metrics.series.delete"]'))).toHaveCount(1);
});
