import { expect, test } from './fixtures';
import { asAdmin, createUserInConsole, firstSignIn, trpcFromPage } from './helpers';

const METRIC = 'e2e_rule_requests_total';

test('a maintainer creates a metric rule in the editor and sees it listed; a viewer sees it and no controls', async ({
  page,
  openPage,
}) => {
  test.setTimeout(120_000);
  await asAdmin(page);
  const maintainerPassword = await createUserInConsole(page, 'rules-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(page, 'rules-viewer@e2e.local', 'viewer');
  // The metric the rule watches must exist in the store: 2 routes, some 5xx.
  const points = ['/a', '/b'].flatMap((route) =>
    ['200', '500'].map((status) => ({
      name: METRIC,
      labels: { route, status },
      ts: Date.now(),
      value: status === '500' ? 3 : 97,
      kind: 'counter',
    })),
  );
  expect((await trpcFromPage(page, 'metrics.push', { points })).status).toBe(200);

  const maintainer = await openPage();
  await firstSignIn(
    maintainer,
    'rules-maintainer@e2e.local',
    maintainerPassword,
    'rules-maintainer-password-1',
  );
  await maintainer.getByRole('link', { name: 'Alert rules' }).click();
  await maintainer.getByTestId('new-rule').click();
  await expect(maintainer).toHaveURL(/\/alerts\/rules\/new$/);
  await maintainer.getByLabel('Name (alertname)').fill('E2EHighErrorRatio');
  await maintainer.getByLabel('Metric', { exact: true }).fill(METRIC);
  await maintainer.getByLabel('Function').selectOption('error_ratio');
  await maintainer.getByLabel('One alert per (by)').fill('route');
  await maintainer.getByLabel('Window (seconds)').fill('60');
  await maintainer.getByLabel('Comparison').selectOption('>');
  await maintainer.getByLabel('Threshold', { exact: true }).fill('0.05');
  await maintainer.getByLabel('For (seconds)').fill('60');
  await maintainer.getByLabel('Labels').fill('severity=page');
  // A template that loops is refused by the API, and the message shows next to its field.
  await maintainer.getByLabel('Summary').fill('{{ range $labels }}x{{ end }}');
  await maintainer.getByRole('button', { name: 'Create rule' }).click();
  await expect(maintainer.locator('#rule-summary-error')).toContainText('control structures or loops');
  await maintainer
    .getByLabel('Summary')
    .fill('{{ $labels.route }} errors at {{ $value | humanizePercentage }}');
  await maintainer.getByRole('button', { name: 'Create rule' }).click();

  await expect(maintainer).toHaveURL(/\/alerts\/rules$/);
  const row = maintainer.locator('[data-testid="alert-rule-row"][data-name="E2EHighErrorRatio"]');
  await expect(row).toContainText('metric threshold');
  await expect(row.getByTestId('rule-enabled-toggle')).toBeChecked();

  const viewer = await openPage();
  await firstSignIn(viewer, 'rules-viewer@e2e.local', viewerPassword, 'rules-viewer-password-1');
  await viewer.goto('/alerts/rules');
  const seen = viewer.locator('[data-testid="alert-rule-row"][data-name="E2EHighErrorRatio"]');
  await expect(seen).toBeVisible();
  await expect(viewer.getByTestId('new-rule')).toHaveCount(0);
  await expect(viewer.getByTestId('rule-enabled-toggle')).toHaveCount(0);
  await seen.getByRole('link', { name: 'E2EHighErrorRatio' }).click();
  const threshold = viewer.getByLabel('Threshold', { exact: true });
  await expect(threshold).toHaveValue('0.05');
  // Read-only: every field sits in a disabled fieldset.
  await expect(threshold).toBeDisabled();
  await expect(viewer.getByLabel('Summary')).toBeDisabled();
  await expect(viewer.getByRole('button', { name: 'Save rule' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Delete' })).toHaveCount(0);
});
